import { createRateLimiter, type QueueInfo, type RateLimiter } from '../../bot/defender/rate-limiter';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Largest number of calls inside any closed window [t, t + width] (sliding, not bucketed). */
function maxInWindow(times: number[], width: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! > width) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

describe('defender rate limiter (jest modern fake timers)', () => {
  let limiter: RateLimiter;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });

  afterEach(async () => {
    const stopped = limiter.stop();
    await jest.advanceTimersByTimeAsync(100); // bottleneck yields with setTimeout(0)
    await stopped;
    jest.useRealTimers();
  });

  /** Bottleneck yields to the event loop with setTimeout(0), which Node (and the fake
   * clock) round up to 1 ms, so a start lands a few ms after its planned instant. */
  const near = (actual: number[], expected: number[], tolMs = 10) => {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((a, i) => {
      expect(a).toBeGreaterThanOrEqual(expected[i]!);
      expect(a).toBeLessThanOrEqual(expected[i]! + tolMs);
    });
  };

  test('3,000 offboard calls over two hours: both sliding windows hold, finish near the ideal', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const starts: number[] = [];
    const done = Array.from({ length: 3000 }, (_, i) =>
      limiter.schedule('offboard', async () => {
        starts.push(Date.now());
        return i;
      }),
    );
    await jest.advanceTimersByTimeAsync(2 * HOUR);
    const results = await Promise.all(done);

    expect(results).toEqual(Array.from({ length: 3000 }, (_, i) => i)); // all done, FIFO
    expect(starts).toHaveLength(3000);
    const rel = starts.map((t) => t - T0);
    const perMin = maxInWindow(rel, MINUTE);
    const perHour = maxInWindow(rel, HOUR);
    // Ideal: 1,500 at 600 ms spacing (last at 899.4 s), the next 1,500 from 3,600 s on.
    const ideal = HOUR + 1499 * 600;
    const last = rel[rel.length - 1]!;
    console.log(
      `3000 calls: first batch ends ${rel[1499]! / 1000}s, last call ${last / 1000}s ` +
        `(ideal ${ideal / 1000}s, +${(((last - ideal) / ideal) * 100).toFixed(2)}%); ` +
        `max per 60 s ${perMin}, max per 3600 s ${perHour}`,
    );
    expect(perMin).toBeLessThanOrEqual(100);
    expect(perHour).toBeLessThanOrEqual(1500);
    expect(last).toBeGreaterThanOrEqual(ideal);
    expect(last).toBeLessThanOrEqual(ideal * 1.02);
    // FIFO: start times are in submission order.
    expect(rel).toEqual([...rel].sort((a, b) => a - b));
  });

  test('budgets are per operation: offboard traffic does not slow getAction', async () => {
    limiter = createRateLimiter({ perMinute: 2, perHour: 10 });
    const seen: Array<[string, number]> = [];
    const a = [1, 2, 3].map(() =>
      limiter.schedule('offboard', async () => seen.push(['offboard', Date.now() - T0])),
    );
    const b = [1, 2].map(() =>
      limiter.schedule('getAction', async () => seen.push(['getAction', Date.now() - T0])),
    );
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    await Promise.all([...a, ...b]);
    const at = (op: string) => seen.filter(([o]) => o === op).map(([, t]) => t);
    near(at('getAction'), [0, 30_005]);
    near(at('offboard'), [0, 30_005, 60_010]);
  });

  test('a 429 pause: no call of that operation before Retry-After has passed', async () => {
    limiter = createRateLimiter();
    const starts: number[] = [];
    const first = limiter.schedule('listActions', async () => starts.push(Date.now() - T0));
    await jest.advanceTimersByTimeAsync(10);
    await first;
    const pausedAt = Date.now() - T0;
    limiter.pause('listActions', 30_000); // the server said Retry-After: 30
    const more = [1, 2, 3].map(() =>
      limiter.schedule('listActions', async () => starts.push(Date.now() - T0)),
    );
    const other = limiter.schedule('getMachine', async () => Date.now() - T0);
    await jest.advanceTimersByTimeAsync(29_980);
    expect(starts).toHaveLength(1); // nothing of this operation inside the pause
    expect(await other).toBeLessThan(pausedAt + 20); // other operations are not paused
    await jest.advanceTimersByTimeAsync(5_000);
    await Promise.all(more);
    expect(starts[1]).toBeGreaterThanOrEqual(pausedAt + 30_000);
    near(starts.slice(1), [pausedAt + 30_000, pausedAt + 30_605, pausedAt + 31_210]);
  });

  test('reports queue position and estimated start time, and the estimate is right', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 3 });
    const infos: QueueInfo[] = [];
    const starts: number[] = [];
    const jobs = Array.from({ length: 5 }, () =>
      limiter.schedule('offboard', async () => starts.push(Date.now()), { onQueued: (i) => infos.push(i) }),
    );
    // The first call starts at once (no onQueued); the others wait.
    expect(infos.map((i) => i.position)).toEqual([2, 3, 4, 5]);
    expect(infos.map((i) => i.estimatedStartMs - T0)).toEqual([605, 1210, HOUR + 1000, HOUR + 1000 + 605]);
    expect(limiter.estimate('offboard').position).toBe(6);
    await jest.advanceTimersByTimeAsync(HOUR + 2 * MINUTE);
    await Promise.all(jobs);
    near(
      starts.slice(1),
      infos.map((i) => i.estimatedStartMs),
    );
    expect(limiter.snapshot('offboard')).toMatchObject({ waiting: 0, startsInLastHour: 2 });
  });

  test('a 429 pause in the middle of a long queue: nothing starts inside it, FIFO kept, windows hold', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const starts: number[] = [];
    const done = Array.from({ length: 200 }, (_, i) =>
      limiter.schedule('getAction', async () => {
        starts.push(Date.now() - T0);
        if (i === 20) limiter.pause('getAction', 30_000); // this call got "429, Retry-After: 30"
        return i;
      }),
    );
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(await Promise.all(done)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const pausedAt = starts[20]!;
    expect(starts.filter((t) => t > pausedAt && t < pausedAt + 30_000)).toEqual([]);
    expect(starts[21]).toBeGreaterThanOrEqual(pausedAt + 30_000);
    expect(maxInWindow(starts, MINUTE)).toBeLessThanOrEqual(100);
  });

  test('stop() ends a pause at once: waiting calls are rejected, none runs', async () => {
    limiter = createRateLimiter();
    limiter.pause('offboard', HOUR);
    const ran: number[] = [];
    const waiting = [1, 2].map((i) =>
      limiter.schedule('offboard', async () => ran.push(i)).catch((e: Error) => e),
    );
    await jest.advanceTimersByTimeAsync(10);
    const stopped = limiter.stop();
    await jest.advanceTimersByTimeAsync(100);
    await stopped;
    const results = await Promise.all(waiting);
    expect(results.every((r) => r instanceof Error)).toBe(true);
    expect(ran).toEqual([]);
  });

  test('a pause is reflected in the estimate', () => {
    limiter = createRateLimiter();
    limiter.pause('getAction', 45_000);
    expect(limiter.estimate('getAction')).toEqual({
      position: 1,
      estimatedStartMs: T0 + 45_000,
      waitMs: 45_000,
    });
    expect(limiter.snapshot('getAction').pausedUntil).toBe(T0 + 45_000);
  });
});
