import { SANDBOX_DEFAULTS } from '../../sandbox/runtime';
import { SIM } from '../../sandbox/defender';
import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { openSqliteStore } from '../../bot/store';
import { decide } from '../../bot/request/policy';
import { user } from '../fakes/teams';
import { cardText, startHarness, waitForNewCard, verbs, type Harness } from '../fakes/harness';
import { channel, openAndSubmit, waitUntil } from '../fakes/flow';

/** Rate limits, restarts and Teams-side failures, end to end over real HTTP. */
jest.setTimeout(30_000);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('Defender limits and restarts', () => {
  it('waits for Retry-After on a 429 during execution, then succeeds', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    await h.click('casey', verbs.approve, { requestId }, where);
    h.sim.setFaults({ storm429: { remaining: 1, retryAfterSeconds: 2 } });
    const t0 = Date.now();
    await h.click('devon', verbs.approve, { requestId }, where);
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 20_000);
    const throttled = h.sim.calls.find((c) => c.status === 429)!;
    const after = h.sim.calls.filter((c) => c.operation === throttled.operation && c.at > throttled.at);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]!.at - throttled.at).toBeGreaterThanOrEqual(2000);
    expect(h.offboardPosts()).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  });

  it('a restart during tracking loses nothing and posts no second offboard', async () => {
    await h.restart({ SIMULATOR_ACTION_SECONDS: '1' });
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    await h.click('casey', verbs.approve, { requestId }, where);
    await h.click('devon', verbs.approve, { requestId }, where);
    await h.sim.calls.length;
    await waitUntil(() => h.offboardPosts() === 1);
    await h.restart();
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
    expect(cardText(h.latestCard(requestId))).toMatch(/Succeeded/);
  });
});

describe('crash recovery between approval and execution', () => {
  /** Leaves the store exactly as a process killed right after the deciding approval's write would. */
  async function approvedThenCrashed(): Promise<string> {
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    await h.click('casey', verbs.approve, { requestId }, where);
    await h.runtime.stop();
    const store = openSqliteStore({ dataDir: h.dataDir });
    const r = (await store.get(requestId))!;
    const d = decide(
      r,
      { kind: 'approve' },
      {
        actor: { aadObjectId: user('devon').aadObjectId, name: 'Devon Larsen' },
        tenantId: SANDBOX_TENANT_ID,
        conversationId: r.conversation.conversationId,
        now: Date.now(),
        // The bot's own roster: approvals are counted against who may approve now.
        roster: {
          requesters: new Set(SANDBOX_DEFAULTS.requesters),
          approvers: new Set(SANDBOX_DEFAULTS.approvers),
          allowedTenantIds: new Set([SANDBOX_TENANT_ID]),
        },
      },
    );
    if (!d.ok || !d.execute) throw new Error('expected the deciding approval');
    await store.update(d.request);
    await store.close();
    return requestId;
  }

  it('executes once after a restart that found the request approved but not yet sent', async () => {
    const requestId = await approvedThenCrashed();
    expect(h.offboardPosts()).toBe(0);
    await h.restart();
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
    expect(cardText(h.latestCard(requestId))).toMatch(/Succeeded/);
  });

  it('adopts the action a lost POST created instead of posting again', async () => {
    const requestId = await approvedThenCrashed();
    // The crashed process's POST reached Defender, but its answer never got stored.
    await fetch(`${h.sim.url}/api/machines/${SIM.healthy.id}/offboard`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      body: JSON.stringify({ Comment: `lost answer ${requestId}` }),
    });
    await h.restart();
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
    const audit = await (async () => {
      const s = openSqliteStore({ dataDir: h.dataDir });
      try {
        return await s.audit();
      } finally {
        await s.close();
      }
    })();
    expect(audit.filter((a) => a.requestId === requestId).map((a) => a.event)).toContain('action_found');
  });
});

describe('Teams side', () => {
  it('retries sends to Teams on 429 and 5xx', async () => {
    h.connector.faults.failNext = { count: 2, status: 429 };
    const since = h.connector.sent.length;
    await h.say('alex', 'offboard ws-042', channel());
    const { requestId } = await waitForNewCard(h, since);
    expect(requestId).toMatch(/^OFB-/);
    h.connector.faults.failNext = { count: 1, status: 503 };
    await h.say('alex', 'help', { kind: 'personal', userKey: 'alex' });
    await h.connector.waitFor((a) => /offboard/.test(String(a.activity.text ?? '')));
  });

  it('answers status and help', async () => {
    const { requestId } = await openAndSubmit(h);
    const since = h.connector.sent.length;
    await h.say('blair', `status ${requestId}`, channel());
    const reply = await h.connector.waitFor(
      (a) => h.connector.sent.indexOf(a) >= since && Boolean(a.activity.text),
    );
    expect(String(reply.activity.text)).toMatch(/awaiting approval \(0 of 2\)/);
    const s2 = h.connector.sent.length;
    await h.say('blair', 'ofboard ws-042', { kind: 'personal', userKey: 'blair' });
    const hint = await h.connector.waitFor(
      (a) => h.connector.sent.indexOf(a) >= s2 && Boolean(a.activity.text),
    );
    expect(String(hint.activity.text)).toMatch(/Did you mean `offboard`/);
  });
});

describe('start-up while Teams is failing', () => {
  it('is up before the start-up sweep has reached Teams, and the sweep still delivers', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    await h.runtime.stop();
    // Expired while the bot was down: the start-up sweep owes Teams the Expired card.
    const store = openSqliteStore({ dataDir: h.dataDir });
    const r = (await store.get(requestId))!;
    await store.update({ ...r, expiresAt: new Date(Date.now() - 1000).toISOString() });
    await store.close();
    // Teams answers 503 twice: the sweep's sends back off (1 s, then 2 s) before one succeeds.
    h.connector.faults.failNext = { count: 2, status: 503 };
    await h.restart();
    // The start did not wait for those retries.
    expect(cardText(h.latestCard(requestId))).not.toMatch(/Expired/);
    await waitUntil(() => /Expired/.test(cardText(h.latestCard(requestId))), 15_000);
  });
});
