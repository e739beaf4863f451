import {
  approvalsHold,
  canOpen,
  decide,
  expireIfDue,
  type DecisionContext,
  type Roster,
} from '../../bot/request/policy';
import { newRequest } from '../../bot/request/factory';
import type { OffboardRequest, Person } from '../../bot/request/model';
import type { Machine } from '../../bot/defender/types';
import { english } from '../../bot/i18n';

const T = '11111111-1111-4111-8111-111111111111';
const person = (n: number, name = `P${n}`): Person => ({
  aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
  name,
});
const alex = person(1, 'Alex');
const blair = person(2, 'Blair');
const casey = person(3, 'Casey');
const devon = person(4, 'Devon');
const emery = person(5, 'Emery');
const roster: Roster = {
  requesters: new Set([alex.aadObjectId, blair.aadObjectId]),
  approvers: new Set([alex.aadObjectId, blair.aadObjectId, casey.aadObjectId, devon.aadObjectId]),
  allowedTenantIds: new Set([T]),
};
const machine: Machine = { id: 'a'.repeat(40), computerDnsName: 'ws-042.contoso.local', machineTags: [] };
const NOW = Date.parse('2026-11-29T10:00:00Z');

function draft(): OffboardRequest {
  return newRequest({
    id: 'OFB-TEST0001',
    now: NOW,
    ttlMs: 3600_000,
    tenantId: T,
    requester: alex,
    conversation: { conversationId: 'conv-1', reference: {} },
    machine,
    approvalsRequired: 2,
  });
}
const ctx = (actor: Person, extra: Partial<DecisionContext> = {}): DecisionContext => ({
  actor,
  tenantId: T,
  conversationId: 'conv-1',
  now: NOW + 1000,
  roster,
  ...extra,
});
function ok(d: ReturnType<typeof decide>): OffboardRequest {
  if (!d.ok) throw new Error(`refused: ${d.code} ${d.message}`);
  return d.request;
}
const submitted = () => ok(decide(draft(), { kind: 'submit', comment: ' Laptop stolen ' }, ctx(alex)));
const refusal = (d: ReturnType<typeof decide>) => (d.ok ? 'applied' : d.code);

describe('submit', () => {
  it('locks the trimmed comment and asks for approval', () => {
    const r = submitted();
    expect(r.state).toBe('awaiting_approval');
    expect(r.comment).toBe('Laptop stolen');
    expect(r.history.map((h) => h.event)).toEqual(['created', 'submitted']);
  });
  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['not a string', 42],
    ['too long', 'x'.repeat(1001)],
    ['control chars', 'a\u0007b'],
    ['bidi override', 'abc\u202edef'],
  ])('refuses a comment that is %s', (_, comment) => {
    expect(refusal(decide(draft(), { kind: 'submit', comment }, ctx(alex)))).toBe('invalid_comment');
  });
  it('only the requester submits, and only while authorized', () => {
    expect(refusal(decide(draft(), { kind: 'submit', comment: 'x' }, ctx(blair)))).toBe('not_requester');
    const demoted = { ...roster, requesters: new Set<string>() };
    expect(refusal(decide(draft(), { kind: 'submit', comment: 'x' }, ctx(alex, { roster: demoted })))).toBe(
      'not_requester',
    );
  });
  it('cannot change the comment once approval was requested', () => {
    expect(refusal(decide(submitted(), { kind: 'submit', comment: 'other' }, ctx(alex)))).toBe('wrong_state');
  });
});

describe('approve (two-person rule)', () => {
  it('never lets the requester approve', () => {
    expect(refusal(decide(submitted(), { kind: 'approve' }, ctx(alex)))).toBe('self_approval');
  });
  it('refuses unauthorized people and other tenants', () => {
    expect(refusal(decide(submitted(), { kind: 'approve' }, ctx(emery)))).toBe('not_approver');
    expect(refusal(decide(submitted(), { kind: 'approve' }, ctx(casey, { tenantId: undefined })))).toBe(
      'wrong_tenant',
    );
    const other = '22222222-2222-4222-8222-222222222222';
    expect(refusal(decide(submitted(), { kind: 'approve' }, ctx(casey, { tenantId: other })))).toBe(
      'wrong_tenant',
    );
    const both = { ...roster, allowedTenantIds: new Set([T, other]) };
    expect(
      refusal(decide(submitted(), { kind: 'approve' }, ctx(casey, { tenantId: other, roster: both }))),
    ).toBe('wrong_tenant');
  });
  it('refuses approval of a draft', () => {
    expect(refusal(decide(draft(), { kind: 'approve' }, ctx(casey)))).toBe('wrong_state');
  });
  it('counts each person once; the second distinct approval executes', () => {
    const one = decide(submitted(), { kind: 'approve' }, ctx(casey));
    expect(one.ok && one.execute).toBe(false);
    const r1 = ok(one);
    expect(r1.state).toBe('awaiting_approval');
    expect(refusal(decide(r1, { kind: 'approve' }, ctx(casey)))).toBe('already_approved');
    expect(
      refusal(
        decide(r1, { kind: 'approve' }, ctx({ ...casey, aadObjectId: casey.aadObjectId.toUpperCase() })),
      ),
    ).toBe('already_approved');
    const two = decide(r1, { kind: 'approve' }, ctx(devon));
    expect(two.ok && two.execute).toBe(true);
    const r2 = ok(two);
    expect(r2.state).toBe('executing');
    expect(r2.approvals.map((a) => a.by.name)).toEqual(['Casey', 'Devon']);
    expect(r2.targets[0]!.execution.startedAt).toBeDefined();
    expect(r2.history.map((h) => h.event)).toEqual([
      'created',
      'submitted',
      'approved',
      'approved',
      'executing',
    ]);
    expect(refusal(decide(r2, { kind: 'approve' }, ctx(blair)))).toBe('finished');
    expect(refusal(decide(r2, { kind: 'cancel' }, ctx(alex)))).toBe('finished');
  });
  it('honours APPROVALS_REQUIRED=1', () => {
    const r = { ...submitted(), approvalsRequired: 1 };
    const d = decide(r, { kind: 'approve' }, ctx(blair));
    expect(d.ok && d.execute).toBe(true);
  });
});

describe('reject and cancel', () => {
  it('an approver rejects with a reason', () => {
    expect(refusal(decide(submitted(), { kind: 'reject', reason: '' }, ctx(casey)))).toBe('invalid_reason');
    const r = ok(decide(submitted(), { kind: 'reject', reason: 'Wrong device' }, ctx(casey)));
    expect(r.state).toBe('rejected');
    expect(r.rejection).toMatchObject({ reason: 'Wrong device', by: { name: 'Casey' } });
    expect(refusal(decide(r, { kind: 'approve' }, ctx(devon)))).toBe('finished');
  });
  it('the requester cannot reject; others cannot reject without authorization', () => {
    expect(refusal(decide(submitted(), { kind: 'reject', reason: 'x' }, ctx(alex)))).toBe('not_approver');
    expect(refusal(decide(submitted(), { kind: 'reject', reason: 'x' }, ctx(emery)))).toBe('not_approver');
    expect(refusal(decide(draft(), { kind: 'reject', reason: 'x' }, ctx(emery)))).toBe('not_approver');
    expect(refusal(decide(draft(), { kind: 'reject', reason: 'x' }, ctx(alex)))).toBe('not_approver');
  });
  it('any approver may reject a draft, so a forgotten draft cannot block the device', () => {
    const r = ok(decide(draft(), { kind: 'reject', reason: 'Stale draft' }, ctx(casey)));
    expect(r.state).toBe('rejected');
  });
  it('only approvals by current approvers count, and the larger required number applies', () => {
    const one = ok(decide(submitted(), { kind: 'approve' }, ctx(casey)));
    const withoutCasey: Roster = { ...roster, approvers: new Set([blair, devon].map((p) => p.aadObjectId)) };
    const second = decide(one, { kind: 'approve' }, ctx(devon, { roster: withoutCasey }));
    expect(second.ok && second.execute).toBe(false);
    expect(second.ok && second.notice).toBe('Approved. 1 more needed.');
    const third = decide(ok(second), { kind: 'approve' }, ctx(blair, { roster: withoutCasey }));
    expect(third.ok && third.execute).toBe(true);
    // APPROVALS_REQUIRED raised to 3 since the request was opened: 3 are needed.
    const current = { approvalsRequired: 3, requestTtlMs: 3600_000 };
    const two = ok(decide(one, { kind: 'approve' }, ctx(devon, { current })));
    expect(two.state).toBe('awaiting_approval');
    expect(ok(decide(two, { kind: 'approve' }, ctx(blair, { current }))).state).toBe('executing');
  });
  it('a requester removed from the requesters cannot have the request approved', () => {
    const noAlex: Roster = { ...roster, requesters: new Set([blair.aadObjectId]) };
    expect(refusal(decide(submitted(), { kind: 'approve' }, ctx(casey, { roster: noAlex })))).toBe(
      'requester_revoked',
    );
  });
  it('approvalsHold re-checks the stored approvals before the Defender call', () => {
    const executing = ok(
      decide(ok(decide(submitted(), { kind: 'approve' }, ctx(casey))), { kind: 'approve' }, ctx(devon)),
    );
    expect(approvalsHold(executing, roster)).toEqual({ ok: true });
    expect(approvalsHold(executing, { ...roster, approvers: new Set([casey.aadObjectId]) })).toEqual({
      ok: false,
      reason: { key: 'notice.error.approvalsCounted', params: { counted: '1', needed: '2' } },
    });
    const held = approvalsHold(executing, { ...roster, approvers: new Set([casey.aadObjectId]) });
    expect(!held.ok && english(held.reason)).toBe('1 of the 2 approvals needed are by current approvers');
    expect(approvalsHold({ ...executing, approvals: [] }, roster).ok).toBe(false);
    expect(approvalsHold(executing, roster, { approvalsRequired: 3, requestTtlMs: 1 }).ok).toBe(false);
  });
  it('only the requester cancels, in draft or awaiting approval', () => {
    expect(refusal(decide(submitted(), { kind: 'cancel' }, ctx(casey)))).toBe('not_requester');
    expect(ok(decide(draft(), { kind: 'cancel' }, ctx(alex))).state).toBe('cancelled');
    const r = ok(
      decide(ok(decide(submitted(), { kind: 'approve' }, ctx(casey))), { kind: 'cancel' }, ctx(alex)),
    );
    expect(r.state).toBe('cancelled');
    expect(r.cancellation?.by.name).toBe('Alex');
    expect(refusal(decide(r, { kind: 'cancel' }, ctx(alex)))).toBe('finished');
  });
});

describe('expiry and opening', () => {
  it('expires open requests past their TTL, and only those', () => {
    expect(expireIfDue(submitted(), NOW + 3599_999)).toBeUndefined();
    const e = expireIfDue(submitted(), NOW + 3600_000);
    expect(e?.state).toBe('expired');
    expect(e?.history.at(-1)).toMatchObject({ event: 'expired', actor: 'system' });
    expect(refusal(decide(e!, { kind: 'approve' }, ctx(casey)))).toBe('finished');
    const executing = ok(
      decide(ok(decide(submitted(), { kind: 'approve' }, ctx(casey))), { kind: 'approve' }, ctx(devon)),
    );
    expect(expireIfDue(executing, NOW + 10 * 3600_000)).toBeUndefined();
  });
  it('only authorized requesters of an allowed tenant may open', () => {
    expect(canOpen(alex, T, roster)).toBeUndefined();
    expect(canOpen(alex, T.toUpperCase(), roster)).toBeUndefined();
    expect(canOpen(casey, T, roster)).toMatchObject({ ok: false, code: 'not_requester' });
    expect(canOpen(alex, undefined, roster)).toMatchObject({ ok: false, code: 'wrong_tenant' });
    expect(canOpen(alex, '22222222-2222-4222-8222-222222222222', roster)).toMatchObject({
      code: 'wrong_tenant',
    });
  });
});
