import { openSqliteStore } from '../../bot/store';
import { simMachineId } from '../../sandbox/defender';
import { startHarness, verbs, type Harness } from '../fakes/harness';
import { user, type Where } from '../fakes/teams';
import { channel, invokeMessage, openAndSubmit, openRequest, waitUntil } from '../fakes/flow';

/**
 * The approval rule is re-checked against the settings of now (issue: approvers
 * removed, requesters removed, a hand-written `executing` row), requests are read only
 * by the people and in the conversation they belong to, and drafts cannot block a
 * device: they expire, any approver may reject them, and two commands at the same
 * instant open one request.
 */
jest.setTimeout(60_000);

const id = (key: string) => user(key).aadObjectId;
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
});
afterEach(async () => {
  await h.close();
});

async function textReply(send: () => Promise<{ status: number }>): Promise<string> {
  const since = h.connector.sent.length;
  expect((await send()).status).toBe(200);
  const reply = await h.connector.waitFor(
    (a) => h.connector.sent.indexOf(a) >= since && a.op !== 'update' && typeof a.activity.text === 'string',
  );
  return String(reply.activity.text);
}

const stored = (requestId: string) => h.runtime.store.get(requestId);

test('an approver removed from the settings no longer counts; the card says so', async () => {
  const where = channel('rc-removed');
  const { requestId } = await openAndSubmit(h, where, 'ws-001');
  await h.click('casey', verbs.approve, { requestId }, where);
  // Restart with Casey no longer an approver.
  await h.restart({ OFFBOARD_APPROVERS: [id('alex'), id('blair'), id('devon')].join(',') });
  const second = await h.click('devon', verbs.approve, { requestId }, where);
  expect(JSON.stringify(invokeMessage(second))).toMatch(/"Casey Okafor"[^\]]*": no longer an approver"/);
  expect(JSON.stringify(invokeMessage(second))).toContain('Awaiting approval (1 of 2)');
  await h.runtime.offboarding.idle();
  expect((await stored(requestId))?.state).toBe('awaiting_approval');
  expect(h.offboardPosts()).toBe(0);
  // A third person's approval is the deciding one.
  await h.click('blair', verbs.approve, { requestId }, where);
  await waitUntil(async () => (await stored(requestId))?.state === 'completed', 20_000);
  expect(h.offboardPosts()).toBe(1);
});

test('a larger APPROVALS_REQUIRED applies to requests already open', async () => {
  const where = channel('rc-more');
  const { requestId } = await openAndSubmit(h, where, 'ws-002');
  await h.click('casey', verbs.approve, { requestId }, where);
  await h.restart({ APPROVALS_REQUIRED: '3' });
  await h.click('devon', verbs.approve, { requestId }, where);
  await h.runtime.offboarding.idle();
  expect((await stored(requestId))?.state).toBe('awaiting_approval');
  expect(h.offboardPosts()).toBe(0);
});

test('a requester removed from the settings cannot have the request approved', async () => {
  const where = channel('rc-requester');
  const { requestId } = await openAndSubmit(h, where, 'ws-003');
  await h.restart({ OFFBOARD_REQUESTERS: id('blair') });
  const refused = await h.click('casey', verbs.approve, { requestId }, where);
  expect(invokeMessage(refused)).toMatch(/no longer an authorized requester/);
  expect((await stored(requestId))?.approvals).toHaveLength(0);
});

test('a request written by hand in state executing is not executed', async () => {
  const where = channel('rc-forged');
  const { requestId } = await openAndSubmit(h, where, 'ws-004');
  await h.click('casey', verbs.approve, { requestId }, where);
  await h.runtime.stop();
  const store = openSqliteStore({ dataDir: h.dataDir });
  const r = (await store.get(requestId))!;
  const at = new Date().toISOString();
  await store.update({
    ...r,
    state: 'executing',
    targets: r.targets.map((t) => ({ ...t, execution: { startedAt: at } })),
  });
  await store.close();
  await h.restart();
  await waitUntil(async () => (await stored(requestId))?.state === 'failed', 15_000);
  const failed = (await stored(requestId))!;
  expect(failed.targets[0]!.execution.error?.code).toBe('approval_check_failed');
  // Stored by catalogue key (the card and notice render it per reader), English beside it.
  expect(failed.targets[0]!.execution.error).toMatchObject({
    key: 'notice.error.approvalsNoLonger',
    params: { reason: { key: 'notice.error.approvalsCounted' } },
    message: expect.stringMatching(
      /^The approvals no longer satisfy the two-person rule \(\d of the 2 approvals/,
    ),
  });
  expect(h.sim.calls.filter((c) => c.operation === 'offboard')).toHaveLength(0);
});

test('status and refresh: only people on the lists, only in the request’s conversation', async () => {
  const where = channel('rc-read');
  const { requestId } = await openAndSubmit(h, where, 'ws-005');
  expect(await textReply(() => h.say('casey', `status ${requestId}`, where))).toMatch(/awaiting approval/);
  // Emery is on neither list; Casey asks from elsewhere.
  expect(await textReply(() => h.say('emery', `status ${requestId}`, where))).toMatch(/I know no request/);
  const elsewhere: Where[] = [{ kind: 'groupChat' }, { kind: 'personal', userKey: 'casey' }];
  for (const place of elsewhere)
    expect(await textReply(() => h.say('casey', `status ${requestId}`, place))).toMatch(/I know no request/);
  const refreshed = await h.click('emery', verbs.refresh, { requestId }, where);
  expect(invokeMessage(refreshed)).toMatch(/does not belong to a known request/);
});

test('drafts: any approver may reject one, and one expires after DRAFT_TTL_MINUTES', async () => {
  const rejectable = await openRequest(h, channel('rc-draft-1'), 'ws-007');
  const rejected = await h.click(
    'casey',
    verbs.reject,
    { requestId: rejectable.requestId, rejectReason: 'Stale draft' },
    channel('rc-draft-1'),
  );
  expect(typeof invokeMessage(rejected)).toBe('object');
  expect((await stored(rejectable.requestId))?.state).toBe('rejected');

  const forgotten = await openRequest(h, channel('rc-draft-2'), 'ws-008');
  h.advance(61 * 60_000);
  await waitUntil(async () => (await stored(forgotten.requestId))?.state === 'expired', 10_000);
  // The device is free again.
  const again = await openRequest(h, channel('rc-draft-3'), 'ws-008');
  expect(again.requestId).not.toBe(forgotten.requestId);
});

test('two offboard commands for one device at the same instant open one request', async () => {
  const since = h.connector.sent.length;
  await Promise.all([
    h.say('alex', 'offboard ws-042', channel('rc-race-a')),
    h.say('blair', 'offboard ws-042', channel('rc-race-b')),
  ]);
  await h.runtime.offboarding.idle();
  await waitUntil(() => h.connector.sent.length >= since + 2);
  const active = await h.runtime.store.listActiveForMachine(simMachineId('ws-042.contoso.local'));
  expect(active).toHaveLength(1);
  const texts = h.connector.sent.slice(since).map((a) => String(a.activity.text ?? ''));
  expect(texts.some((t) => new RegExp(`already has an open request: \\*\\*${active[0]!.id}`).test(t))).toBe(
    true,
  );
});
