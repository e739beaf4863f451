import { simMachineId } from '../../sandbox/defender';
import { startHarness, verbs, type Harness } from '../fakes/harness';
import { TEAM_ID, user } from '../fakes/teams';
import { channel, openAndSubmit, openRequest, readAudit, snapshot } from './support/flow';
import { asHistory, checkTrail, type TrailCheck } from './support/trail';
import { runAuditCli } from './support/audit-cli';

/**
 * The audit trail of every scenario, driven over HTTP through the whole bot: happy
 * path, reject, cancel (after and before submitting), expiry, a Defender refusal with
 * its correlation id, and (second harness) a call queued by the rate limiter. Each
 * request's trail must be complete and in order, carry who and where, mirror the
 * request's own history, and `npm run audit` must print the same trail in both formats.
 */
jest.setTimeout(60_000);

const id = (key: string) => user(key).aadObjectId;
const conv = (root: string) => `${TEAM_ID};messageid=${root}`;
const TRACKED = 'executing action_created( status_changed)+ completed';
const finished = (h: Harness, requestId: string) =>
  h.connector.waitFor((a) => String(a.activity.text ?? '').includes(`${requestId} is finished`), 20_000);

describe('scenarios on one bot', () => {
  let h: Harness;
  const checks = new Map<string, TrailCheck>();
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    await h.close();
  });

  test('happy path, reject, cancel, cancel of a draft, Defender refusal', async () => {
    const happy = await openAndSubmit(h, channel('a-happy'), 'ws-042');
    await h.click('casey', verbs.approve, { requestId: happy.requestId }, channel('a-happy'));
    await h.click('devon', verbs.approve, { requestId: happy.requestId }, channel('a-happy'));
    checks.set(happy.requestId, {
      sequence: new RegExp(`^created submitted approved approved ${TRACKED}$`),
      people: [id('alex'), id('alex'), id('casey'), id('devon')],
      conversationId: conv('a-happy'),
    });

    const rejected = await openAndSubmit(h, channel('a-reject'), 'ws-001');
    await h.click(
      'casey',
      verbs.reject,
      { requestId: rejected.requestId, rejectReason: 'Wrong device' },
      channel('a-reject'),
    );
    checks.set(rejected.requestId, {
      sequence: /^created submitted rejected$/,
      people: [id('alex'), id('alex'), id('casey')],
      conversationId: conv('a-reject'),
    });

    const cancelled = await openAndSubmit(h, channel('a-cancel'), 'ws-002');
    await h.click('blair', verbs.approve, { requestId: cancelled.requestId }, channel('a-cancel'));
    await h.click('alex', verbs.cancel, { requestId: cancelled.requestId }, channel('a-cancel'));
    checks.set(cancelled.requestId, {
      sequence: /^created submitted approved cancelled$/,
      people: [id('alex'), id('alex'), id('blair'), id('alex')],
      conversationId: conv('a-cancel'),
    });

    const draft = await openRequest(h, channel('a-draft'), 'ws-003');
    await h.click('alex', verbs.cancel, { requestId: draft.requestId }, channel('a-draft'));
    checks.set(draft.requestId, {
      sequence: /^created cancelled$/,
      people: [id('alex'), id('alex')],
      conversationId: conv('a-draft'),
    });

    // Defender refuses the POST: the device changed platform after the request was checked.
    const refused = await openAndSubmit(h, channel('a-refused'), 'ws-005');
    await h.click('casey', verbs.approve, { requestId: refused.requestId }, channel('a-refused'));
    const device = h.sim.machines.find((m) => m.id === simMachineId('ws-005.contoso.local'))!;
    device.osPlatform = 'Linux';
    await h.click('devon', verbs.approve, { requestId: refused.requestId }, channel('a-refused'));
    checks.set(refused.requestId, {
      sequence: /^created submitted approved approved executing refused failed$/,
      people: [id('alex'), id('alex'), id('casey'), id('devon')],
      conversationId: conv('a-refused'),
    });

    const notice = await finished(h, refused.requestId);
    await finished(h, happy.requestId);
    device.osPlatform = 'Windows10';
    const stored = (await snapshot(h, refused.requestId)).request!;
    const target = stored.targets[0]!.execution.error?.target;
    expect(target).toBeTruthy();
    expect(String(notice.activity.text)).toContain(`support reference: ${target}`);
    const refusal = (await snapshot(h, refused.requestId)).audit.find((a) => a.event === 'refused');
    expect(refusal?.detail).toMatchObject({ code: 'OsPlatformNotSupported', target });
    console.log(`audit-trail: 5 scenarios driven over HTTP; the Defender refusal carries target ${target}`);
  });

  test('expiry after one approval', async () => {
    const r = await openAndSubmit(h, channel('a-expire'), 'ws-004');
    await h.click('casey', verbs.approve, { requestId: r.requestId }, channel('a-expire'));
    h.advance(25 * 3600_000);
    await h.runtime.offboarding.sweep();
    console.log('audit-trail: 1 request expired by the maintenance sweep 25 h after it was opened');
    checks.set(r.requestId, {
      sequence: /^created submitted approved expired$/,
      people: [id('alex'), id('alex'), id('casey')],
      conversationId: conv('a-expire'),
    });
  });

  test('every trail is complete, in order, attributed, and mirrors the request history', async () => {
    await h.runtime.offboarding.idle();
    for (const [requestId, check] of checks) {
      const { request, audit } = await snapshot(h, requestId);
      checkTrail(audit, check);
      expect(asHistory(audit)).toEqual(request!.history);
    }
    const all = await readAudit(h.dataDir);
    console.log(
      `audit-trail: ${checks.size} requests (happy, reject, cancel, draft cancel, Defender refusal, expiry), ` +
        `${all.length} audit entries, ${checks.size} trails complete and in order, 0 missing actors`,
    );
  });

  test('npm run audit prints the same trail as JSON Lines and as CSV', async () => {
    await h.runtime.stop(); // the CLI reads a store nobody writes to any more
    const all = await readAudit(h.dataDir);
    await runAuditCli(h.dataDir, all);
  });
});

describe('a call queued by the rate limiter', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    await h.close();
  });

  test('the queued request records queued between executing and the action', async () => {
    const a = await openAndSubmit(h, channel('q-a'), 'ws-006');
    const b = await openAndSubmit(h, channel('q-b'), 'ws-007');
    await h.click('casey', verbs.approve, { requestId: a.requestId }, channel('q-a'));
    await h.click('casey', verbs.approve, { requestId: b.requestId }, channel('q-b'));
    // The first look-up of the two executions answers 1.5 s late, and the first
    // offboard POST is throttled for 5 s: the second POST asks for a slot while the
    // limiter holds every offboard for Retry-After, so it is queued (the margins hold
    // on a loaded machine, where a 429 can take a few hundred ms to come back).
    h.sim.setFaults({
      stallMs: 1500,
      stallCount: 1,
      storm429: { remaining: 1, retryAfterSeconds: 5, operations: ['offboard'] },
    });
    await Promise.all([
      h.click('devon', verbs.approve, { requestId: a.requestId }, channel('q-a')),
      h.click('devon', verbs.approve, { requestId: b.requestId }, channel('q-b')),
    ]);
    await Promise.all([finished(h, a.requestId), finished(h, b.requestId)]);
    const trails = await Promise.all([a, b].map((r) => snapshot(h, r.requestId)));
    const queued = trails.filter((t) => t.audit.some((e) => e.event === 'queued'));
    expect(queued.length).toBeGreaterThanOrEqual(1);
    for (const [i, t] of trails.entries()) {
      const waited = queued.includes(t) ? 'queued ' : '';
      checkTrail(t.audit, {
        sequence: new RegExp(
          `^created submitted approved approved executing ${waited}action_created( status_changed)+ completed$`,
        ),
        people: [id('alex'), id('alex'), id('casey'), id('devon')],
        conversationId: conv(i === 0 ? 'q-a' : 'q-b'),
      });
    }
    const q = queued[0]!.audit.find((e) => e.event === 'queued')!;
    expect(Date.parse(String(q.detail?.until))).toBeGreaterThan(Date.parse(q.at));
    console.log(
      `audit-trail: 2 executions, one held by the other's Retry-After, ${queued.length} recorded "queued", both trails complete`,
    );
  });
});
