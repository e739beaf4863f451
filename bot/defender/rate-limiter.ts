import Bottleneck from 'bottleneck';
import { systemClock, systemScheduler, type Timer } from '../clock';
import { OPERATIONS, type DefenderOperation } from './operations';

/**
 * Client-side rate limiting for the Defender API, built on bottleneck (the library
 * behind Octokit's throttling plugin). Limits: "100 calls per minute and 1,500 calls
 * per hour" for each API (defender-api.md), so every operation gets its own limiter.
 *
 * Design (why the client can never exceed a *sliding* window of the server):
 * - Minute window: bottleneck `minTime` spaces call starts by 60000/perMinute +
 *   spacingMarginMs (605 ms at 100/min with the default 5 ms margin), no interval of 60 s (open or
 *   closed) can hold 101 starts. The margin absorbs latency jitter between requests.
 * - Hour window: a *sliding log* on bottleneck's reservoir. The reservoir starts at
 *   perHour; bottleneck takes one unit per call; each unit is handed back exactly
 *   1 h (+ hourMarginMs) after that call actually started. So at any instant the calls
 *   started in the last hour are ≤ perHour, whatever window the server uses.
 *   Rejected alternatives: `reservoirRefreshInterval` is a fixed window (1,500 at 0:59
 *   plus 1,500 at 1:00 = 3,000 in one sliding hour); `reservoirIncrease*` is a token
 *   bucket (a full bucket of 1,500 plus refills ≈ 2,600 in one sliding hour).
 * - Each bottleneck job is only the *gate* (decide that a call may start now), not the
 *   HTTP call, with maxConcurrent 1: queued calls stay in bottleneck's FIFO queue, a slow
 *   response never blocks the next start, and the gate re-checks the spacing against
 *   actual start times (timers can fire early relative to Date.now) and any 429 pause.
 * - A 429 pauses that operation until Retry-After has passed (`pause`): the gate holds.
 * Over-budget calls wait; they never fail. The limiter reads the global clock and
 * timers (as bottleneck does), so tests drive it with jest's modern fake timers.
 * Budgets are per process; several instances would need bottleneck's Redis store.
 */
export interface QueueInfo {
  /** 1 = next to start. */
  position: number;
  /** Epoch ms at which this call is expected to start. */
  estimatedStartMs: number;
  waitMs: number;
}

export interface ScheduleOptions {
  onQueued?: (info: QueueInfo) => void;
  /** A retry of a call that already waited its turn goes ahead of fresh calls. */
  retry?: boolean;
}

export interface OperationSnapshot {
  waiting: number;
  startsInLastHour: number;
  pausedUntil?: number;
  lastStartMs?: number;
}

export interface RateLimiter {
  schedule<T>(op: DefenderOperation, fn: () => Promise<T>, opts?: ScheduleOptions): Promise<T>;
  /** No call of `op` starts before now + ms (used after a 429 with Retry-After). */
  pause(op: DefenderOperation, ms: number): void;
  /** Where a new call of `op` would stand now (for "queued, ~2 min" messages). */
  estimate(op: DefenderOperation): QueueInfo;
  snapshot(op: DefenderOperation): OperationSnapshot;
  /** Cancels timers and drops waiting calls (shutdown, tests). */
  stop(): Promise<void>;
}

export interface RateLimiterOptions {
  perMinute?: number;
  perHour?: number;
  /** Added to the 60000/perMinute spacing. Default 5 ms (+0.8% at 100/min). */
  spacingMarginMs?: number;
  /** Added to the hour before a start leaves the window. Default 1000 ms. */
  hourMarginMs?: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const perMinute = options.perMinute ?? 100;
  const perHour = options.perHour ?? 1500;
  if (!(perMinute >= 1 && perHour >= 1)) throw new Error('rate limits must be at least 1');
  const spacing = MINUTE / perMinute + (options.spacingMarginMs ?? 5);
  const holdMs = HOUR + (options.hourMarginMs ?? 1000);
  const clock = systemClock;
  const scheduler = systemScheduler;
  const timers = new Map<Timer, () => void>();
  let stopped = false;
  let stopping: Promise<void> | undefined;

  /** A sleep that stop() can cut short, so shutdown never waits out a long pause. Unlike
   * the scheduler's (unref'd) timers it keeps the process alive: a call is waiting. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const handle = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      const timer: Timer = { cancel: () => clearTimeout(handle) };
      timers.set(timer, resolve);
    });

  const ops = new Map(
    OPERATIONS.map((op) => {
      const state = {
        limiter: new Bottleneck({
          id: `defender-${op}`,
          maxConcurrent: 1,
          minTime: spacing,
          reservoir: perHour,
        }),
        lastStart: -Infinity,
        pausedUntil: 0,
        /** When each start in the current hour leaves the window; ascending. */
        releases: [] as number[],
        waiting: 0,
      };
      return [op, state] as const;
    }),
  );
  const get = (op: DefenderOperation) => ops.get(op)!;

  function estimateAt(op: DefenderOperation, position: number): QueueInfo {
    const s = get(op);
    const now = clock.now();
    const rel = s.releases.slice();
    let free = perHour - rel.length;
    let t = Math.max(now, s.pausedUntil, s.lastStart + spacing);
    // Replays the two rules for everyone ahead: spacing, and a free slot in the hour.
    for (let i = 1; ; i++) {
      if (free > 0) free--;
      else t = Math.max(t, rel.shift()!);
      if (i >= position) return { position, estimatedStartMs: t, waitMs: t - now };
      rel.push(t + holdMs);
      t += spacing;
    }
  }

  /** Runs inside bottleneck (one at a time per op); resolves when the call may start. */
  async function gate(op: DefenderOperation): Promise<void> {
    const s = get(op);
    for (;;) {
      if (stopped) throw new Error('Defender rate limiter stopped');
      const now = clock.now();
      const at = Math.max(s.pausedUntil, s.lastStart + spacing);
      if (at <= now) break;
      await sleep(at - now);
    }
    const startedAt = clock.now();
    s.lastStart = startedAt;
    s.waiting--;
    s.releases.push(startedAt + holdMs);
    const timer = scheduler.setTimeout(() => {
      timers.delete(timer);
      s.releases.shift();
      s.limiter.incrementReservoir(1).catch(() => undefined);
    }, holdMs);
    timers.set(timer, () => undefined);
  }

  return {
    async schedule(op, fn, opts = {}) {
      const s = get(op);
      s.waiting++;
      if (opts.onQueued) {
        const info = estimateAt(op, s.waiting);
        if (info.waitMs > 0) opts.onQueued(info);
      }
      await s.limiter.schedule({ priority: opts.retry ? 4 : 5 }, () => gate(op));
      return fn();
    },
    pause(op, ms) {
      const s = get(op);
      s.pausedUntil = Math.max(s.pausedUntil, clock.now() + Math.max(0, ms));
    },
    estimate(op) {
      return estimateAt(op, get(op).waiting + 1);
    },
    snapshot(op) {
      const s = get(op);
      const now = clock.now();
      return {
        waiting: s.waiting,
        startsInLastHour: s.releases.length,
        ...(s.pausedUntil > now ? { pausedUntil: s.pausedUntil } : {}),
        ...(Number.isFinite(s.lastStart) ? { lastStartMs: s.lastStart } : {}),
      };
    },
    stop() {
      if (stopping) return stopping; // idempotent: shutdown and tests may both call it
      stopped = true;
      for (const [t, wake] of timers) {
        t.cancel();
        wake();
      }
      timers.clear();
      stopping = Promise.all([...ops.values()].map((s) => s.limiter.stop({ dropWaitingJobs: true }))).then(
        () => undefined,
      );
      return stopping;
    },
  };
}
