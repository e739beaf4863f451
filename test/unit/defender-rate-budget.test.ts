import { createMemoryBudget, type StartResult } from '../../bot/defender/rate-budget';
import { nextStartAt, projectStarts, windowsFor } from '../../bot/defender/rate-windows';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('sliding-log arithmetic', () => {
  const windows = windowsFor({ perMinute: 3, perHour: 5 });

  test('a start counts for the window plus a 1 s margin', () => {
    expect(windows).toEqual([
      { ms: MINUTE + 1000, limit: 3 },
      { ms: HOUR + 1000, limit: 5 },
    ]);
    expect(windowsFor({ perMinute: 3, perHour: 5 }, 0)[0]!.ms).toBe(MINUTE);
    expect(() => windowsFor({ perMinute: 0, perHour: 5 })).toThrow('at least 1');
  });

  test('the next start waits only for the limit-th most recent start to leave each window', () => {
    expect(nextStartAt([], windows, 7)).toBe(7);
    expect(nextStartAt([0, 0], windows, 7)).toBe(7);
    expect(nextStartAt([0, 0, 5], windows, 7)).toBe(MINUTE + 1000);
    expect(nextStartAt([0, 0, 5, 70_000, 70_000], windows, 80_000)).toBe(HOUR + 1000);
  });

  test('projected starts burst as far as the windows allow', () => {
    expect(projectStarts([], windows, 0, 7)).toEqual([
      0,
      0,
      0,
      MINUTE + 1000,
      MINUTE + 1000,
      HOUR + 1000,
      HOUR + 1000,
    ]);
  });
});

describe('memory budget', () => {
  const ok = (r: StartResult | Promise<StartResult>) => r as StartResult;

  test('starts while both windows allow, then says when to ask again', () => {
    const b = createMemoryBudget({ perMinute: 2, perHour: 3 });
    expect(ok(b.tryStart('offboard', 0)).ok).toBe(true);
    expect(ok(b.tryStart('offboard', 0)).ok).toBe(true);
    expect(b.tryStart('offboard', 10)).toEqual({ ok: false, retryAtMs: MINUTE + 1000 });
    expect(b.tryStart('getAction', 10)).toMatchObject({ ok: true }); // per operation
    expect(ok(b.tryStart('offboard', MINUTE + 1000)).ok).toBe(true);
    expect(b.tryStart('offboard', 2 * MINUTE + 2000)).toEqual({ ok: false, retryAtMs: HOUR + 1000 });
    expect(b.peek('offboard', 2 * MINUTE)).toEqual({ starts: [0, 0, MINUTE + 1000], pausedUntilMs: 0 });
    // Starts no window counts any more are dropped.
    expect(b.peek('offboard', HOUR + 1000).starts).toEqual([MINUTE + 1000]);
  });

  test('a refunded start no longer counts; an unknown id is ignored', async () => {
    const b = createMemoryBudget({ perMinute: 1, perHour: 10 });
    const first = ok(b.tryStart('offboard', 0));
    expect(b.tryStart('offboard', 0)).toMatchObject({ ok: false });
    if (!first.ok) throw new Error('expected a start');
    await b.refund('offboard', first.startId);
    await b.refund('offboard', 'nope');
    expect(b.peek('offboard', 0).starts).toEqual([]);
    expect(ok(b.tryStart('offboard', 0)).ok).toBe(true);
  });

  test('a pause holds every start of that operation until it ends; the later pause wins', async () => {
    const b = createMemoryBudget({ perMinute: 100, perHour: 1500 });
    await b.pause('listActions', 30_000);
    await b.pause('listActions', 10_000);
    expect(b.tryStart('listActions', 29_999)).toEqual({ ok: false, retryAtMs: 30_000 });
    expect(b.tryStart('getMachine', 0)).toMatchObject({ ok: true });
    expect(b.tryStart('listActions', 30_000)).toMatchObject({ ok: true });
    expect(b.peek('listActions', 0).pausedUntilMs).toBe(30_000);
  });
});
