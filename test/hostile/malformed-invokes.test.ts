import { COMMENT_MAX, REJECT_REASON_MAX } from '../../bot/request/limits';
import { startHarness, verbs, type Harness } from '../fakes/harness';
import { invokeActivity, postActivity, user } from '../fakes/teams';
import { channel, invokeMessage, openAndSubmit, openRequest, snapshot } from './support/flow';

/**
 * Malformed invoke payloads, posted over HTTP as Teams would post a card click, each
 * aimed at a real request that a valid click by the same person (Casey, an approver)
 * would move. None may: every one is refused with a message (or a 4xx), the stored
 * request and audit trail do not change, and Defender and Teams see nothing.
 */
jest.setTimeout(30_000);

let h: Harness;
let requestId: string;
let draftId: string;
const where = channel('root-malformed');
const draftWhere = channel('root-malformed-draft');
beforeAll(async () => {
  h = await startHarness();
  ({ requestId } = await openAndSubmit(h, where, 'ws-006'));
  ({ requestId: draftId } = await openRequest(h, draftWhere, 'ws-008'));
});
afterAll(async () => {
  await h.close();
});

/** An invoke as Teams sends it, loosened so a test can put anything in any field. */
type Activity = Omit<ReturnType<typeof invokeActivity>, 'from'> & { from?: unknown } & Record<
    string,
    unknown
  >;
const base = (who = 'casey'): Activity =>
  invokeActivity({
    serviceUrl: h.connector.url,
    from: user(who),
    verb: verbs.approve,
    data: { requestId },
    where,
  });
const withValue = (value: unknown): Activity => ({ ...base(), value: value as Activity['value'] });
const withAction = (action: Record<string, unknown>): Activity => withValue({ action, trigger: 'manual' });
const approveWith = (patch: Record<string, unknown>) =>
  withAction({ type: 'Action.Execute', verb: verbs.approve, data: { requestId }, ...patch });

const CASES: Array<[string, () => Activity]> = [
  ['no value', () => ({ ...base(), value: undefined as unknown as Activity['value'] })],
  ['empty value', () => withValue({})],
  ['value is a string', () => withValue(`approve ${requestId}`)],
  ['action is null', () => withValue({ action: null })],
  ['action is an array', () => withValue({ action: [verbs.approve, requestId] })],
  ['no action type', () => withAction({ verb: verbs.approve, data: { requestId } })],
  ['Action.Submit, not Action.Execute', () => approveWith({ type: 'Action.Submit' })],
  ['action.execute (wrong case)', () => approveWith({ type: 'action.execute' })],
  ['unknown verb', () => approveWith({ verb: 'offboard.execute' })],
  ['verb in capitals', () => approveWith({ verb: verbs.approve.toUpperCase() })],
  ['verb with a trailing space', () => approveWith({ verb: `${verbs.approve} ` })],
  ['empty verb', () => approveWith({ verb: '' })],
  ['verb is a number', () => approveWith({ verb: 42 })],
  ['verb is an array', () => approveWith({ verb: [verbs.approve] })],
  ['verb is an object', () => approveWith({ verb: { toString: verbs.approve } })],
  ['data is a string', () => approveWith({ data: `requestId=${requestId}` })],
  ['data is a number', () => approveWith({ data: 7 })],
  ['data is true', () => approveWith({ data: true })],
  ['data is an array', () => approveWith({ data: [requestId] })],
  ['data nested one level down', () => approveWith({ data: { data: { requestId } } })],
  ['another invoke name', () => ({ ...base(), name: 'composeExtension/submitAction' })],
  ['task/fetch invoke', () => ({ ...base(), name: 'task/fetch' })],
  ['message/submitAction invoke', () => ({ ...base(), name: 'message/submitAction' })],
  ['invoke name with a trailing space', () => ({ ...base(), name: 'adaptiveCard/action ' })],
  ['no invoke name', () => ({ ...base(), name: undefined as unknown as string })],
  ['no Entra id on from', () => ({ ...base(), from: { id: user('casey').id, name: 'Casey Okafor' } })],
  [
    'Entra id is an object',
    () => ({ ...base(), from: { id: 'x', name: 'C', aadObjectId: { casey: true } } }),
  ],
];

test('malformed invoke payloads are refused with a message and change nothing', async () => {
  const before = await snapshot(h, requestId);
  const calls = h.sim.calls.length;
  const sent = h.connector.sent.length;
  const outcomes: string[] = [];
  for (const [name, build] of CASES) {
    const res = await postActivity(h.runtime.botUrl, build());
    const message = invokeMessage(res);
    outcomes.push(
      `${name}: ${res.status} ${typeof message === 'string' ? message.slice(0, 60) : JSON.stringify(res.body)?.slice(0, 60)}`,
    );
    // A refusal is a 200 with a message for the clicker, or a 4xx; never a card, never a 5xx.
    if (res.status === 200) expect([name, typeof message]).toEqual([name, 'string']);
    else expect([name, res.status >= 400 && res.status < 500]).toEqual([name, true]);
  }
  expect(await snapshot(h, requestId)).toEqual(before);
  expect(h.sim.calls.length).toBe(calls);
  expect(h.connector.sent.length).toBe(sent);
  console.log(
    `malformed-invokes: ${CASES.length} malformed payloads, ${CASES.length} refused, 0 state changes, 0 Defender calls, 0 Teams posts\n${outcomes.join('\n')}`,
  );
});

test('card inputs that are not acceptable text: comment and reject reason refused, nothing changes', async () => {
  const [draftBefore, before] = [await snapshot(h, draftId), await snapshot(h, requestId)];
  const badText: unknown[] = [
    '',
    '   \n\t ',
    'x'.repeat(COMMENT_MAX + 1),
    'ok\u202eevil',
    'bell\u0007',
    { text: 'hi' },
    ['hi'],
    42,
    null,
  ];
  for (const comment of badText)
    expect(
      invokeMessage(await h.click('alex', verbs.submit, { requestId: draftId, comment }, draftWhere)),
    ).toMatch(/Please enter a comment/);
  for (const rejectReason of [...badText.slice(0, 2), 'r'.repeat(REJECT_REASON_MAX + 1), ...badText.slice(3)])
    expect(invokeMessage(await h.click('casey', verbs.reject, { requestId, rejectReason }, where))).toMatch(
      /Please give a reason/,
    );
  expect(await snapshot(h, draftId)).toEqual(draftBefore);
  expect(await snapshot(h, requestId)).toEqual(before);
  console.log(
    `malformed-invokes: ${badText.length * 2} comments and reasons that are empty, too long, not text or hold control characters: all refused, 0 state changes`,
  );
});

test('a card click over the body limit gets 413 before any handler', async () => {
  const before = await snapshot(h, requestId);
  const res = await postActivity(
    h.runtime.botUrl,
    approveWith({ data: { requestId, pad: 'x'.repeat(300_000) } }),
  );
  expect(res.status).toBe(413);
  expect(await snapshot(h, requestId)).toEqual(before);
  console.log('malformed-invokes: 1 click with 300 kB of data, refused with 413, 0 state changes');
});
