import { createDefenderClient } from '../../bot/defender/client';
import { createRateLimiter, type RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';
import { systemClock, systemScheduler } from '../../bot/clock';
import { createOffboarding, type Offboarding } from '../../bot/offboarding/service';
import type { NotifierPort, OffboardingDeps } from '../../bot/offboarding/ports';
import type { OffboardRequest } from '../../bot/request/model';
import { createMemoryStore } from '../../bot/store';
import { silentLogger } from '../../bot/log';
import { bulkProgress } from '../../bot/request/bulk-progress';
import { bulkFinalNotice } from '../../bot/offboarding/bulk-notices';
import { translator } from '../../bot/i18n';
import {
  createSimFleet,
  simMachineId,
  startDefenderSimulator,
  type DefenderSimulator,
  type SimMachine,
} from '../../sandbox/defender';
import { people, request, target, peoplePolicy } from '../fakes/requests';

/**
 * A 300-device request on the simulator at Defender's real limits (100/min, 1,500/h per
 * operation; the simulator enforces them) on a virtual clock: jest's fake timers drive
 * the rate limiter, the executor and the simulator's clock, while HTTP runs for real.
 */
const LIMITS = { perMinute: 100, perHour: 1500 };
const START = Date.parse('2026-11-29T10:00:00Z');
const T = 'tenant-1';
const realTimeout = setTimeout;
const realSleep = (ms: number) => new Promise((r) => realTimeout(r, ms));

function fleet(n: number, unsupported = 0): SimMachine[] {
  const all = createSimFleet(START);
  const template = all.find((m) => m.computerDnsName === 'ws-042.contoso.local')!;
  // A device Defender refuses to offboard (OsPlatformNotSupported), as the seeded fleet has.
  const refused = all.find((m) => m.osPlatform === 'macOS') ?? template;
  return Array.from({ length: n }, (_, i) => {
    const name = `bulk-${String(i).padStart(3, '0')}.contoso.local`;
    const base = i < unsupported ? refused : template;
    return { ...base, id: simMachineId(name), computerDnsName: name, machineTags: [] };
  });
}

class Teams implements NotifierPort {
  updates = 0;
  posts: string[] = [];
  postCard = async () => 'card-1';
  updateCard = async () => {
    this.updates++;
  };
  postInThread = async (_r: OffboardRequest, text: string) => {
    this.posts.push(text);
  };
}

function bulkRequest(machines: SimMachine[]): OffboardRequest {
  const now = new Date(Date.now()).toISOString();
  return request({
    id: 'OFB-BULK0300',
    tenantId: T,
    state: 'executing',
    comment: 'INC-9000: retired lab devices',
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    approvals: [
      { by: people.alice, at: now },
      { by: people.bob, at: now },
    ],
    conversation: { conversationId: 'c1', reference: {}, cardActivityId: 'card-1' },
    targets: machines.map((m) =>
      target({ id: m.id, computerDnsName: m.computerDnsName, machineTags: [] }, { startedAt: now }),
    ),
  });
}

let inflight = 0;
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = (...args: Parameters<typeof fetch>) => {
    inflight++;
    return realFetch(...args).finally(() => inflight--);
  };
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

describe('a bulk request at Defender pace', () => {
  let sim: DefenderSimulator;
  let limiter: RateLimiter;
  let svc: Offboarding;
  let deps: OffboardingDeps;
  let teams: Teams;

  async function setUp(n: number, unsupported = 0) {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: START });
    sim = await startDefenderSimulator({ limits: LIMITS, fleet: fleet(n, unsupported), actionSeconds: 30 });
    limiter = createRateLimiter(LIMITS);
    teams = new Teams();
    deps = {
      store: createMemoryStore(),
      defender: createDefenderClient({
        baseUrl: sim.url,
        tokenProvider: staticTokenProvider('sandbox'),
        limiter,
        logger: silentLogger(),
        timeoutMs: 30_000,
      }),
      notifier: teams,
      clock: systemClock,
      scheduler: systemScheduler,
      logger: silentLogger(),
      newId: () => 'OFB-00000001',
      policy: peoplePolicy(T),
      tracking: { firstCheckMs: 10_000, maxIntervalMs: 60_000 },
    };
    svc = createOffboarding(deps);
  }

  afterEach(async () => {
    svc.stop();
    await limiter.stop();
    jest.useRealTimers();
    await sim.close();
  });

  /**
   * Virtual time moves from timer to timer, and only while no HTTP call is in flight:
   * a call is never stamped by the simulator later than the limiter started it.
   */
  async function quiet(): Promise<void> {
    for (let calm = 0; calm < 3;) {
      await realSleep(inflight ? 1 : 0);
      calm = inflight ? 0 : calm + 1;
    }
  }

  async function runUntil(done: () => Promise<boolean>, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    for (let step = 0; Date.now() < end && step < 50_000; step++) {
      await quiet();
      if (await done()) return;
      await jest.advanceTimersToNextTimerAsync();
    }
    throw new Error(`not done after ${maxMs / 1000} virtual seconds`);
  }

  const finished = async (id: string) => {
    const r = await deps.store.get(id);
    return r !== undefined && ['completed', 'failed', 'outcome_unknown'].includes(r.state);
  };

  test('300 devices: exactly 300 POSTs, no minute over 100, no 429, every device ends once', async () => {
    await setUp(300, 3);
    const created = await deps.store.create(bulkRequest(sim.machines));
    let writes = 0;
    const update = deps.store.update.bind(deps.store);
    deps.store.update = (next, o) => {
      writes++;
      return update(next, o);
    };
    await svc.resume();
    await runUntil(() => finished(created.id), 30 * 60_000);
    await svc.idle();

    const posts = sim.calls.filter((c) => c.operation === 'offboard' && c.method === 'POST');
    expect(posts).toHaveLength(300);
    const perMachine = new Map<string, number>();
    for (const p of posts) perMachine.set(p.path, (perMachine.get(p.path) ?? 0) + 1);
    expect(Math.max(...perMachine.values())).toBe(1);
    expect(sim.calls.filter((c) => c.status === 429)).toEqual([]);
    // Sliding minute: never more than 100 POSTs within any 60 s.
    const times = posts.map((p) => p.at).sort((a, b) => a - b);
    const worst = Math.max(...times.map((t, i) => times.filter((u, j) => j >= i && u < t + 60_000).length));
    expect(worst).toBeLessThanOrEqual(100);

    const r = (await deps.store.get(created.id))!;
    expect(r.state).toBe('completed');
    expect(bulkProgress(r, Date.now())).toMatchObject({
      total: 300,
      succeeded: 297,
      failed: 3,
      pending: 0,
      unknown: 0,
      unsent: 0,
    });
    // Batched: far fewer full-row writes than devices, and card updates throttled.
    expect(writes).toBeLessThan(150);
    expect(teams.updates).toBeLessThan(100);
    // Statuses read in pages of ids, not one GET per action.
    expect(sim.calls.filter((c) => c.operation === 'getAction')).toHaveLength(0);
    expect(teams.posts).toHaveLength(1);
    expect(teams.posts[0]).toBe(bulkFinalNotice(r, translator('en')));
    expect(teams.posts[0]).toContain('✅ Offboarded: 297');
    expect(teams.posts[0]).toContain('❌ Not offboarded: 3');
  }, 120_000);

  test('cancel after approval stops the devices not sent yet; none of them is POSTed', async () => {
    await setUp(160);
    const created = await deps.store.create(bulkRequest(sim.machines));
    await svc.resume();
    // The first minute's budget goes out; the rest wait for the window.
    await runUntil(async () => {
      const r = await deps.store.get(created.id);
      return (r?.targets.filter((t) => t.execution.actionId).length ?? 0) >= 90;
    }, 120_000);
    const outcome = await svc.cancel({
      requestId: created.id,
      actor: people.requester,
      tenantId: T,
      conversationId: 'c1',
    });
    expect(outcome.kind).toBe('bulk_stopped');
    if (outcome.kind !== 'bulk_stopped') return;
    await runUntil(() => finished(created.id), 30 * 60_000);
    await svc.idle();
    const r = (await deps.store.get(created.id))!;
    const p = bulkProgress(r, Date.now());
    const posts = sim.calls.filter((c) => c.operation === 'offboard' && c.method === 'POST').length;
    // A target whose POST was under way when the cancel was written is recorded as sent.
    expect(p.cancelled).toBeLessThanOrEqual(outcome.stopped);
    expect(p.cancelled).toBeGreaterThan(0);
    expect(posts).toBe(160 - p.cancelled);
    expect(p.succeeded).toBe(posts);
    expect(outcome.stopped).toBeGreaterThan(0);
    expect(r.state).toBe('completed');
  }, 120_000);
});
