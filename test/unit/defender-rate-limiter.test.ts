import { DefenderError } from '../../bot/defender/defender-error';
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

const throttled = (retryAfterMs?: number) =>
  new DefenderError({ kind: 'http', operation: 'offboard', status: 429, retryAfterMs });

describe('defender rate limiter (jest modern fake timers)', () => {
  let limiter: RateLimiter;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });

  afterEach(async () => {
    await limiter.stop();
    jest.useRealTimers();
  });

  /** Schedules `n` calls of `op` that record their start (ms after T0) and return their index. */
  const burst = (
    op: 'offboard' | 'getAction',
    n: number,
    starts: number[],
    onQueued?: (i: QueueInfo) => void,
  ) =>
    Array.from({ length: n }, (_, i) =>
      limiter.schedule(
        op,
        async () => {
          starts.push(Date.now() - T0);
          return i;
        },
        { onQueued },
      ),
    );

  test('a burst starts at once: 10 calls at t=0 all start at t=0, none is reported queued', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const starts: number[] = [];
    const queued: QueueInfo[] = [];
    const done = burst('offboard', 10, starts, (i) => queued.push(i));
    await jest.advanceTimersByTimeAsync(0);
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(starts).toEqual(Array(10).fill(0));
    expect(queued).toEqual([]);
  });

  test('the 101st call of a minute waits until the first has left the minute window (+1 s margin)', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const starts: number[] = [];
    const done = burst('offboard', 101, starts);
    await jest.advanceTimersByTimeAsync(MINUTE + 999);
    expect(starts).toHaveLength(100);
    expect(limiter.snapshot('offboard')).toMatchObject({ waiting: 1, startsInLastHour: 100 });
    await jest.advanceTimersByTimeAsync(1);
    expect(starts).toHaveLength(101);
    expect(starts[100]).toBe(MINUTE + 1000);
    await Promise.all(done);
  });

  test('3,000 queued calls: never more than 100 in any 60 s nor 1,500 in any 3,600 s, FIFO, all done', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const starts: number[] = [];
    const done = burst('offboard', 3000, starts);
    await jest.advanceTimersByTimeAsync(2 * HOUR);
    expect(await Promise.all(done)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(starts).toHaveLength(3000);
    expect(starts).toEqual([...starts].sort((a, b) => a - b)); // FIFO
    expect(maxInWindow(starts, MINUTE)).toBe(100);
    expect(maxInWindow(starts, HOUR)).toBe(1500);
    // Bursts of 100 every 61 s; the second hour's calls 3,601 s after the first hour's.
    expect(starts[1499]).toBe(14 * (MINUTE + 1000));
    expect(starts[1500]).toBe(HOUR + 1000);
    expect(starts[2999]).toBe(HOUR + 1000 + 14 * (MINUTE + 1000));
  });

  test('budgets are per operation: offboard traffic does not slow getAction', async () => {
    limiter = createRateLimiter({ perMinute: 2, perHour: 10 });
    const off: number[] = [];
    const get: number[] = [];
    const a = burst('offboard', 3, off);
    const b = burst('getAction', 2, get);
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    await Promise.all([...a, ...b]);
    expect(get).toEqual([0, 0]);
    expect(off).toEqual([0, 0, MINUTE + 1000]);
  });

  test('FIFO, with retries ahead of fresh calls', async () => {
    limiter = createRateLimiter({ perMinute: 2, perHour: 100 });
    const order: string[] = [];
    const call = (name: string, retry = false) =>
      limiter.schedule('getAction', async () => order.push(name), { retry });
    const jobs = [call('a'), call('b'), call('c'), call('d')];
    await jest.advanceTimersByTimeAsync(1_000); // a and b start; c and d wait for the minute window
    jobs.push(call('r1', true), call('e'), call('r2', true));
    await jest.advanceTimersByTimeAsync(5 * MINUTE);
    await Promise.all(jobs);
    expect(order).toEqual(['a', 'b', 'r1', 'r2', 'c', 'd', 'e']);
  });

  test('an attempt answered 429 is refunded: it does not count against the hour', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 3 });
    const rejected = limiter.schedule('offboard', async () => {
      throw throttled(1_000);
    });
    await expect(rejected).rejects.toBeInstanceOf(DefenderError);
    expect(limiter.snapshot('offboard').startsInLastHour).toBe(0);
    await jest.advanceTimersByTimeAsync(1_000);
    const starts: number[] = [];
    const done = burst('offboard', 4, starts);
    await jest.advanceTimersByTimeAsync(MINUTE);
    expect(starts).toHaveLength(3); // the whole hour's budget, the 429 not counted
    expect(limiter.snapshot('offboard')).toMatchObject({ waiting: 1, startsInLastHour: 3 });
    await limiter.stop();
    await Promise.allSettled(done);
  });

  test('any other failure did reach Defender: it still counts', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 3 });
    const failed = limiter.schedule('offboard', async () => {
      throw new DefenderError({ kind: 'http', operation: 'offboard', status: 500 });
    });
    await expect(failed).rejects.toBeInstanceOf(DefenderError);
    expect(limiter.snapshot('offboard').startsInLastHour).toBe(1);
  });

  test('Retry-After is honoured for every queued call of that operation, and only that one', async () => {
    limiter = createRateLimiter({ perMinute: 2, perHour: 100 });
    const starts: number[] = [];
    const first = limiter.schedule('listActions', async () => {
      starts.push(Date.now() - T0);
      await new Promise((r) => setTimeout(r, 100));
      throw throttled(120_000); // answered at t=100 ms: "429, Retry-After: 120"
    });
    const ok = limiter.schedule('listActions', async () => starts.push(Date.now() - T0));
    // Queued behind the full minute window; the refund frees a slot at t=100 ms, the pause holds it.
    const queued = [1, 2, 3].map(() =>
      limiter.schedule('listActions', async () => starts.push(Date.now() - T0)),
    );
    const other = limiter.schedule('getMachine', async () => Date.now() - T0);
    await jest.advanceTimersByTimeAsync(100);
    await expect(first).rejects.toBeInstanceOf(DefenderError);
    await ok;
    expect(await other).toBe(0); // other operations are not paused
    await jest.advanceTimersByTimeAsync(120_000 - 1);
    expect(starts).toHaveLength(2);
    expect(limiter.snapshot('listActions')).toMatchObject({ waiting: 3, pausedUntil: T0 + 120_100 });
    await jest.advanceTimersByTimeAsync(1);
    // At the pause's end: one slot (the 429 refunded, the t=0 call left), the next 61 s on.
    expect(starts).toEqual([0, 0, 120_100, 120_100]);
    await jest.advanceTimersByTimeAsync(MINUTE + 1000);
    await Promise.all(queued);
    expect(starts).toHaveLength(5);
  });

  test('a 429 without Retry-After pauses the operation for a whole minute', async () => {
    limiter = createRateLimiter();
    const first = limiter.schedule('offboard', async () => {
      throw throttled();
    });
    await expect(first).rejects.toBeInstanceOf(DefenderError);
    expect(limiter.snapshot('offboard').pausedUntil).toBe(T0 + MINUTE);
  });

  test('a pause in the middle of a long queue: nothing starts inside it, FIFO kept, windows hold', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const starts: number[] = [];
    let pausedAt = 0;
    const done = Array.from({ length: 300 }, (_, i) =>
      limiter.schedule('getAction', async () => {
        starts.push(Date.now() - T0);
        if (i === 120) {
          await new Promise((r) => setTimeout(r, 10_000));
          pausedAt = Date.now() - T0;
          limiter.pause('getAction', 90_000); // this call got "429, Retry-After: 90"
        }
        return i;
      }),
    );
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(await Promise.all(done)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    // Calls 101-200 started at 61 s; 201-300 would at 122 s, but the pause holds them.
    expect(pausedAt).toBe(MINUTE + 1000 + 10_000);
    expect(starts.filter((t) => t > pausedAt && t < pausedAt + 90_000)).toEqual([]);
    expect(starts[200]).toBe(pausedAt + 90_000);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(maxInWindow(starts, MINUTE)).toBeLessThanOrEqual(100);
  });

  test('queue estimates are when the budget allows each position, and calls start then', async () => {
    limiter = createRateLimiter({ perMinute: 100, perHour: 1500 });
    const infos: QueueInfo[] = [];
    const starts: number[] = [];
    const done = burst('offboard', 150, starts, (i) => infos.push(i));
    // The first 100 start at once (not reported); 101-150 wait for the minute window,
    // the 101st next in line.
    expect(infos.map((i) => i.position)).toEqual(Array.from({ length: 50 }, (_, k) => 1 + k));
    expect(new Set(infos.map((i) => i.estimatedStartMs))).toEqual(new Set([T0 + MINUTE + 1000]));
    expect(limiter.estimate('offboard')).toMatchObject({
      position: 51,
      estimatedStartMs: T0 + MINUTE + 1000,
    });
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    await Promise.all(done);
    expect(starts.slice(100).map((s) => s + T0)).toEqual(infos.map((i) => i.estimatedStartMs));
  });

  test('estimates account for the hour window', async () => {
    limiter = createRateLimiter({ perMinute: 2, perHour: 3 });
    const infos: QueueInfo[] = [];
    const starts: number[] = [];
    const done = burst('offboard', 5, starts, (i) => infos.push(i));
    expect(infos.map((i) => [i.position, i.estimatedStartMs - T0])).toEqual([
      [1, MINUTE + 1000],
      [2, HOUR + 1000],
      [3, HOUR + 1000],
    ]);
    await jest.advanceTimersByTimeAsync(HOUR + 2 * MINUTE);
    await Promise.all(done);
    expect(starts.slice(2)).toEqual(infos.map((i) => i.estimatedStartMs - T0));
    // The two at 0 s and the one at 61 s have left the hour (3,601 s); two remain.
    expect(limiter.snapshot('offboard')).toMatchObject({ waiting: 0, startsInLastHour: 2 });
  });

  test('stop() drops waiting calls, even inside a pause: they are rejected, none runs', async () => {
    limiter = createRateLimiter({ perMinute: 1, perHour: 10 });
    const ran: number[] = [];
    await limiter.schedule('getAction', async () => ran.push(0));
    limiter.pause('offboard', HOUR);
    const waiting = [1, 2].map((i) =>
      limiter.schedule('offboard', async () => ran.push(i)).catch((e: Error) => e),
    );
    const behind = limiter.schedule('getAction', async () => ran.push(3)).catch((e: Error) => e);
    await jest.advanceTimersByTimeAsync(10);
    await limiter.stop();
    const results = await Promise.all([...waiting, behind]);
    expect(results.every((r) => r instanceof Error)).toBe(true);
    expect(ran).toEqual([0]);
    expect(jest.getTimerCount()).toBe(0);
    await expect(limiter.schedule('getAction', async () => 1)).rejects.toThrow('stopped');
  });

  test('a pause is reflected in the estimate and the snapshot', () => {
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
