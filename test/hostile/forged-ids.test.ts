import { SIM } from '../../sandbox/defender';
import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { startHarness, verbs, type Harness } from '../fakes/harness';
import { invokeActivity, postActivity, user } from '../fakes/teams';
import {
  OTHER_TENANT,
  channel,
  defenderWrites,
  invokeMessage,
  openAndSubmit,
  snapshot,
} from './support/flow';

/**
 * Forged card actions that name a request the clicker must not reach: ids that do not
 * exist or are malformed, a real id clicked from another conversation, and a real id
 * from another (allowed) tenant. Each is refused with a message, and the stored
 * request, its audit trail and the Defender call log stay exactly as they were.
 */
jest.setTimeout(30_000);

let h: Harness;
beforeEach(async () => {
  // Two tenants are served, so "another tenant" is a real, allowed tenant, not a stranger.
  h = await startHarness({ env: { ALLOWED_TENANT_IDS: `${SANDBOX_TENANT_ID},${OTHER_TENANT}` } });
});
afterEach(async () => {
  await h.close();
});

const NOT_KNOWN = /does not belong to a known request/;
const ACTIONS = [
  { verb: verbs.approve, data: {} },
  { verb: verbs.reject, data: { rejectReason: 'not mine' } },
  { verb: verbs.cancel, data: {} },
  { verb: verbs.submit, data: { comment: 'replaced' } },
];

test('unknown, malformed and look-alike request ids: one answer, nothing changes', async () => {
  const where = channel('root-ids');
  const { requestId } = await openAndSubmit(h, where, 'ws-001');
  const before = await snapshot(h, requestId);
  const calls = h.sim.calls.length;
  const ids: unknown[] = [
    'OFB-ZZZZZZZZ',
    requestId.toLowerCase(),
    `${requestId} `,
    `${requestId}\u202e`,
    `${requestId}' OR '1'='1`,
    `../../${requestId}`,
    `${requestId}%00`,
    'x'.repeat(100_000),
    123,
    null,
    [requestId],
    { $ne: 1 },
    { toString: requestId },
  ];
  let refused = 0;
  for (const requestIdValue of ids)
    for (const a of ACTIONS) {
      const who = a.verb === verbs.cancel || a.verb === verbs.submit ? 'alex' : 'casey';
      const res = await h.click(who, a.verb, { ...a.data, requestId: requestIdValue }, where);
      expect(res.status).toBe(200);
      expect(invokeMessage(res)).toMatch(NOT_KNOWN);
      refused++;
    }
  const missing = await h.click('casey', verbs.approve, {}, where);
  expect(invokeMessage(missing)).toMatch(NOT_KNOWN);
  expect(await snapshot(h, requestId)).toEqual(before);
  expect(h.sim.calls.length).toBe(calls);
  console.log(
    `forged-actions: ${refused + 1} clicks with unknown or malformed request ids, ${refused + 1} refused, 0 state changes, 0 Defender calls`,
  );
});

test('a real request id clicked from another conversation is refused like an unknown one', async () => {
  const where = channel('root-conv');
  const { requestId } = await openAndSubmit(h, where, 'ws-002');
  const before = await snapshot(h, requestId);
  const calls = h.sim.calls.length;
  const elsewhere = [
    { kind: 'groupChat' } as const,
    { kind: 'personal', userKey: 'casey' } as const,
    { kind: 'personal', userKey: 'alex' } as const,
  ];
  let refused = 0;
  for (const w of elsewhere)
    for (const a of ACTIONS) {
      const who = a.verb === verbs.cancel || a.verb === verbs.submit ? 'alex' : 'casey';
      expect(invokeMessage(await h.click(who, a.verb, { ...a.data, requestId }, w))).toMatch(NOT_KNOWN);
      refused++;
    }
  // Another team's channel whose thread root happens to carry the same message id.
  const other = invokeActivity({
    serviceUrl: h.connector.url,
    from: user('casey'),
    verb: verbs.approve,
    data: { requestId },
    where,
  });
  other.conversation.id = '19:another-team@thread.tacv2;messageid=root-conv';
  expect(invokeMessage(await postActivity(h.runtime.botUrl, other))).toMatch(NOT_KNOWN);
  refused++;
  expect(await snapshot(h, requestId)).toEqual(before);
  expect(h.sim.calls.length).toBe(calls);
  console.log(
    `forged-actions: ${refused} clicks on a real request from other conversations, ${refused} refused, 0 state changes`,
  );
});

test('a request of another tenant cannot be acted on or read, even in the same conversation', async () => {
  const where = channel('root-tenant');
  const { requestId } = await openAndSubmit(h, where, 'ws-003', OTHER_TENANT);
  const before = await snapshot(h, requestId);
  expect(before.request?.tenantId).toBe(OTHER_TENANT);
  const calls = h.sim.calls.length;
  let refused = 0;
  for (const tenantId of [SANDBOX_TENANT_ID, '11111111-1111-4111-8111-111111111111'])
    for (const a of ACTIONS) {
      const who = a.verb === verbs.cancel || a.verb === verbs.submit ? 'alex' : 'casey';
      const res = await h.click(who, a.verb, { ...a.data, requestId }, where, { tenantId });
      expect(invokeMessage(res)).toMatch(/another organization/);
      refused++;
    }
  const read = await h.click('casey', verbs.refresh, { requestId }, where, { tenantId: SANDBOX_TENANT_ID });
  expect(invokeMessage(read)).toMatch(NOT_KNOWN);
  expect(await snapshot(h, requestId)).toEqual(before);
  expect(h.sim.calls.length).toBe(calls);
  console.log(
    `forged-actions: ${refused + 1} clicks on another tenant's request, ${refused + 1} refused, 0 state changes`,
  );
});

test('"offboard this one" with a forged device, person or tenant opens nothing', async () => {
  const where = { kind: 'groupChat' } as const;
  const choose = (who: string, machineId: unknown, tenantId?: string) =>
    h.click(who, verbs.choose, { machineId }, where, { tenantId }).then(invokeMessage);
  const bad = [
    `${SIM.healthy.id}/offboard`,
    '../../api/machines',
    'x'.repeat(50_000),
    123,
    null,
    { id: SIM.healthy.id },
  ];
  for (const id of bad) expect(await choose('alex', id)).toMatch(/does not name a valid device/);
  expect(await choose('emery', SIM.healthy.id)).toMatch(/not authorized to request/);
  expect(await choose('casey', SIM.healthy.id)).toMatch(/not authorized to request/);
  expect(await choose('alex', SIM.healthy.id, '11111111-1111-4111-8111-111111111111')).toMatch(
    /does not serve your organization/,
  );
  expect(await choose('alex', SIM.mac.id)).toMatch(/can't offboard/);
  await h.runtime.offboarding.idle();
  // Only the mac lookup reached Defender: refusals happen before any call.
  expect(h.sim.calls.map((c) => c.operation)).toEqual(['getMachine']);
  expect(defenderWrites(h)).toBe(0);
  console.log(
    `forged-actions: ${bad.length + 4} forged "choose" clicks, 0 requests opened, 1 Defender read, 0 writes`,
  );
});
