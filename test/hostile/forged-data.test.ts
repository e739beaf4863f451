import { user } from '../fakes/teams';
import { startHarness, verbs, type Harness } from '../fakes/harness';
import {
  channel,
  defenderWrites,
  invokeMessage,
  openAndSubmit,
  openRequest,
  snapshot,
  waitUntil,
} from './support/flow';

/**
 * Forged card data on a real request in the right conversation: identity, approvals
 * and state placed in the data; clicks replayed after the request finished; clicks on
 * an expired request. Identity comes only from the activity, state only from the
 * store (cards/verbs.ts), so none of it moves the request or reaches Defender.
 */
jest.setTimeout(30_000);

let h: Harness;
beforeEach(async () => {
  // No sweep during these tests: the expiry test needs the first click, not the
  // maintenance sweep, to find the request past its TTL (on a loaded machine the
  // sweep could otherwise win the race).
  h = await startHarness({ maintenanceMs: 3_600_000 });
});
afterEach(async () => {
  await h.close();
});

const casey = user('casey').aadObjectId;
const devon = user('devon').aadObjectId;
/** Everything an attacker might hope the bot reads from card data. */
const FORGED = {
  approverId: casey,
  aadObjectId: casey,
  from: { aadObjectId: casey, name: 'Casey Okafor' },
  actor: { aadObjectId: casey },
  requester: { aadObjectId: casey, name: 'Casey Okafor' },
  approvals: [{ by: { aadObjectId: casey } }, { by: { aadObjectId: devon } }],
  approvalsRequired: 1,
  state: 'executing',
  execute: true,
  version: 1,
  tenantId: '11111111-1111-4111-8111-111111111111',
};

test('identity, approvals and state in card data are ignored', async () => {
  const where = channel('root-data');
  const { requestId } = await openAndSubmit(h, where, 'ws-004');
  const before = await snapshot(h, requestId);
  const refusals: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['emery', verbs.approve, {}, /not an authorized approver/],
    ['alex', verbs.approve, {}, /cannot approve/],
    ['blair', verbs.submit, { comment: 'forged' }, /Only Alex Rivera/],
    ['casey', verbs.cancel, {}, /Only Alex Rivera/],
    ['emery', verbs.reject, { rejectReason: 'forged' }, /not an authorized approver/],
  ];
  for (const [who, verb, extra, message] of refusals)
    expect(invokeMessage(await h.click(who, verb, { ...FORGED, ...extra, requestId }, where))).toMatch(
      message,
    );
  expect(await snapshot(h, requestId)).toEqual(before);

  // A real approver's click counts once, as one approval of two, whatever the data says.
  const accepted = await h.click('casey', verbs.approve, { ...FORGED, requestId }, where);
  expect(typeof invokeMessage(accepted)).toBe('object');
  await new Promise((r) => setTimeout(r, 300));
  const after = await snapshot(h, requestId);
  expect(after.request).toMatchObject({ state: 'awaiting_approval', approvalsRequired: 2 });
  expect(after.request?.approvals.map((a) => a.by.aadObjectId)).toEqual([casey]);
  expect(after.audit.slice(before.audit.length).map((a) => [a.event, a.actor])).toEqual([
    ['approved', casey],
  ]);
  expect(defenderWrites(h)).toBe(0);
  console.log(
    `forged-actions: ${refusals.length + 1} clicks with forged identity/state in card data, ${refusals.length} refused, 1 counted as one approval, 0 Defender writes`,
  );
});

test('replayed clicks after the request finished change nothing and post nothing', async () => {
  const where = channel('root-replay');
  const { requestId } = await openAndSubmit(h, where, 'ws-005');
  await h.click('casey', verbs.approve, { requestId }, where);
  await h.click('devon', verbs.approve, { requestId }, where);
  await h.connector.waitFor(
    (a) => String(a.activity.text ?? '').includes(`${requestId} is finished`),
    15_000,
  );
  await waitUntil(async () => (await snapshot(h, requestId)).request?.delivery?.finalNoticeAt !== undefined);
  const before = await snapshot(h, requestId);
  expect(before.request?.state).toBe('completed');
  const posts = defenderWrites(h);
  const replays: Array<[string, string, Record<string, unknown>]> = [
    ['casey', verbs.approve, {}],
    ['devon', verbs.approve, {}],
    ['blair', verbs.approve, {}],
    ['alex', verbs.cancel, {}],
    ['alex', verbs.submit, { comment: 'again' }],
    ['casey', verbs.reject, { rejectReason: 'too late' }],
  ];
  for (let round = 0; round < 3; round++)
    for (const [who, verb, extra] of replays)
      expect(invokeMessage(await h.click(who, verb, { ...extra, requestId }, where))).toMatch(
        /already completed/,
      );
  const refreshed = await h.click('casey', verbs.refresh, { requestId }, where);
  expect(JSON.stringify(invokeMessage(refreshed))).toMatch(/Succeeded/);
  expect(await snapshot(h, requestId)).toEqual(before);
  expect(defenderWrites(h)).toBe(posts);
  expect(h.offboardPosts()).toBe(1);
  console.log(
    `forged-actions: ${replays.length * 3} replayed clicks after completion, ${replays.length * 3} refused, 0 state changes, ${posts} offboard POST in total`,
  );
});

test('clicks on an expired request: the first one records the expiry, none acts', async () => {
  const where = channel('root-expired');
  const submitted = await openAndSubmit(h, where, 'ws-007');
  const draft = await openRequest(h, channel('root-expired-draft'), 'ws-008');
  h.advance(25 * 3600_000); // REQUEST_TTL_HOURS defaults to 24
  try {
    const first = await h.click('casey', verbs.approve, { requestId: submitted.requestId }, where);
    expect(invokeMessage(first)).toMatch(/has expired/);
    const expired = await snapshot(h, submitted.requestId);
    expect(expired.request?.state).toBe('expired');
    expect(expired.audit.at(-1)).toMatchObject({ event: 'expired', actor: 'system' });
    const later: Array<[string, string, Record<string, unknown>]> = [
      ['devon', verbs.approve, {}],
      ['casey', verbs.approve, {}],
      ['casey', verbs.reject, { rejectReason: 'late' }],
      ['alex', verbs.cancel, {}],
      ['alex', verbs.submit, { comment: 'late' }],
    ];
    for (const [who, verb, extra] of later)
      expect(
        invokeMessage(await h.click(who, verb, { ...extra, requestId: submitted.requestId }, where)),
      ).toMatch(/already expired/);
    expect(await snapshot(h, submitted.requestId)).toEqual(expired);

    const onDraft = await h.click(
      'alex',
      verbs.submit,
      { requestId: draft.requestId, comment: 'late' },
      channel('root-expired-draft'),
    );
    expect(invokeMessage(onDraft)).toMatch(/has expired/);
    expect((await snapshot(h, draft.requestId)).request?.state).toBe('expired');
    expect(defenderWrites(h)).toBe(0);
    console.log(
      `forged-actions: ${later.length + 2} clicks on expired requests, 2 recorded the expiry, 0 acted, 0 Defender writes`,
    );
  } finally {
    h.advance(-25 * 3600_000);
  }
});
