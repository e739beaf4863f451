import pino from 'pino';
import { createDefenderClient } from '../../bot/defender/client';
import { createRateLimiter, type QueueInfo, type RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';
import {
  createSimFleet,
  simMachineId,
  startDefenderSimulator,
  type DefenderSimulator,
  type SimMachine,
} from '../../sandbox/defender';

/** The real limiter and client against the simulator, both at Defender's limits
 * (100/min, 1,500/h per operation): a burst goes out at once and is never throttled. */
const LIMITS = { perMinute: 100, perHour: 1500 };

/** `n` supported devices (copies of a healthy workstation): one offboard each. */
function fleet(n: number): SimMachine[] {
  const template = createSimFleet(Date.now()).find((m) => m.computerDnsName === 'ws-042.contoso.local')!;
  return Array.from({ length: n }, (_, i) => {
    const name = `burst-${i}.contoso.local`;
    return { ...template, id: simMachineId(name), computerDnsName: name, machineTags: [] };
  });
}

describe('rate limiter vs the simulator at the real limits', () => {
  let sim: DefenderSimulator;
  let limiter: RateLimiter;

  afterEach(async () => {
    await limiter.stop();
    await sim.close();
  });

  async function burst(n: number) {
    sim = await startDefenderSimulator({ limits: LIMITS, fleet: fleet(n) });
    limiter = createRateLimiter(LIMITS);
    const client = createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider('sandbox'),
      limiter,
      logger: pino({ level: 'silent' }),
      timeoutMs: 10_000,
    });
    const queued: QueueInfo[] = [];
    const results = sim.machines.map((m) =>
      client
        .offboard(m.id, 'burst', { skipPendingCheck: true, onQueued: (q) => queued.push(q) })
        .then(() => 'done' as const)
        .catch((e: Error) => e),
    );
    return { results, queued };
  }

  const posts = () => sim.calls.filter((c) => c.operation === 'offboard');

  test('100 offboards at once: all accepted, none queued, 0 × 429', async () => {
    const { results, queued } = await burst(100);
    expect(await Promise.all(results)).toEqual(Array(100).fill('done'));
    expect(queued).toEqual([]);
    expect(posts()).toHaveLength(100);
    expect(posts().filter((c) => c.status !== 201)).toEqual([]);
  });

  test('150 at once: exactly 100 start, 50 wait for the minute window with an ETA, 0 × 429', async () => {
    const before = Date.now();
    const { results, queued } = await burst(150);
    const settled = await Promise.all(results.slice(0, 100));
    expect(settled).toEqual(Array(100).fill('done'));
    expect(limiter.snapshot('offboard')).toMatchObject({ waiting: 50, startsInLastHour: 100 });
    expect(queued.map((q) => q.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // The k-th queued call: when the k-th start leaves the minute window (+1 s margin).
    const etas = queued.map((q) => q.estimatedStartMs);
    expect(etas).toEqual([...etas].sort((a, b) => a - b));
    expect(etas[0]).toBeGreaterThanOrEqual(before + 61_000);
    expect(etas.at(-1)).toBeLessThanOrEqual(limiter.snapshot('offboard').lastStartMs! + 61_000);
    expect(posts()).toHaveLength(100);
    expect(posts().filter((c) => c.status !== 201)).toEqual([]);
    await limiter.stop(); // the 50 never reach Defender
    const dropped = await Promise.all(results.slice(100));
    expect(dropped.every((r) => r instanceof Error && /stopped/.test(r.message))).toBe(true);
    expect(posts()).toHaveLength(100);
  });
});
