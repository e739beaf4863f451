/**
 * Client-side rate limiting for the Defender API: 100 calls per minute and 1,500 per
 * hour for each operation, both sliding windows. A call starts as soon as starting it
 * keeps both windows within their limits (bursts allowed, no pacing); the budget
 * (rate-budget.ts) holds the log of starts, this file the FIFO queue per operation
 * (retries ahead of fresh calls), the timers and the queue estimates. An attempt
 * answered 429 is refunded (Defender counts accepted calls) and pauses its operation
 * until Retry-After. Over-budget calls wait; they never fail. The limiter reads the
 * global clock and timers, so tests drive it with jest's modern fake timers.
 * The why, and what was rejected: docs/defender-api.md, "Rate limiting in this client".
 */
import { systemClock } from '../clock';
import { DefenderError } from './defender-error';
import type { DefenderOperation } from './operations';
import { createMemoryBudget, type RateBudget, type StartResult } from './rate-budget';
import { DEFAULT_RETRY } from './retry-policy';
import { countSince, projectStarts, type RateLimits } from './rate-windows';

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
  /** Runs `fn` once the budget allows a start of `op`. If `fn` rejects with a 429, that
   * start is refunded and `op` is paused until its Retry-After has passed. */
  schedule<T>(op: DefenderOperation, fn: () => Promise<T>, opts?: ScheduleOptions): Promise<T>;
  /** No call of `op` starts before now + ms (used after a 429 with Retry-After). */
  pause(op: DefenderOperation, ms: number): void;
  /** Where a new call of `op` would stand now (for "queued, ~2 min" messages). */
  estimate(op: DefenderOperation): QueueInfo;
  snapshot(op: DefenderOperation): OperationSnapshot;
  /** Cancels timers and drops waiting calls (shutdown, tests). */
  stop(): Promise<void>;
}

export interface RateLimiterOptions extends Partial<RateLimits> {
  /** Added to each window's length: a start counts for 61 s and 3,601 s (default 1,000 ms). */
  windowMarginMs?: number;
  /** Default: an in-memory budget for this process with the limits above. */
  budget?: RateBudget;
}

/** How long to wait before asking a budget that failed (a shared store) again. */
const BUDGET_ERROR_RETRY_MS = 1_000;

interface Waiter {
  retry: boolean;
  resolve(startId: string): void;
  reject(e: Error): void;
}

/** The pause a rejection asks for: a 429 never reached Defender's budget. */
function throttledFor(e: unknown): number | undefined {
  if (!(e instanceof DefenderError) || e.kind !== 'http' || e.status !== 429) return undefined;
  return e.retryAfterMs ?? DEFAULT_RETRY.default429DelayMs;
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const budget =
    options.budget ??
    createMemoryBudget({
      perMinute: options.perMinute ?? 100,
      perHour: options.perHour ?? 1500,
      windowMarginMs: options.windowMarginMs,
    });
  const hour = budget.windows[budget.windows.length - 1]!.ms;
  const clock = systemClock;
  let stopped = false;

  const ops = new Map<
    DefenderOperation,
    {
      queue: Waiter[];
      pumping: boolean;
      /** Cuts the pump's wait short (a refund may have freed a slot; stop). */
      wake?: () => void;
      pausedUntil: number;
      lastStart: number;
    }
  >();
  const get = (op: DefenderOperation) => {
    let s = ops.get(op);
    if (!s) ops.set(op, (s = { queue: [], pumping: false, pausedUntil: 0, lastStart: -Infinity }));
    return s;
  };

  function estimateAt(op: DefenderOperation, position: number): QueueInfo {
    const now = clock.now();
    const state = budget.peek(op, now);
    const from = Math.max(now, state.pausedUntilMs, get(op).pausedUntil);
    const t = projectStarts(state.starts, budget.windows, from, position).at(-1)!;
    return { position, estimatedStartMs: t, waitMs: t - now };
  }

  /** A wait that a refund or stop() can cut short. Unlike the scheduler's (unref'd)
   * timers it keeps the process alive: a call is waiting. */
  const wait = (op: DefenderOperation, ms: number) =>
    new Promise<void>((resolve) => {
      const s = get(op);
      const handle = setTimeout(() => {
        s.wake = undefined;
        resolve();
      }, ms);
      s.wake = () => {
        clearTimeout(handle);
        s.wake = undefined;
        resolve();
      };
    });

  /** One loop per operation with waiters: starts the head of the queue as soon as the
   * budget allows, sleeps until it may, and ends when the queue is empty. */
  async function pump(op: DefenderOperation): Promise<void> {
    const s = get(op);
    if (s.pumping) return;
    s.pumping = true;
    try {
      while (!stopped && s.queue.length > 0) {
        const now = clock.now();
        let r: StartResult;
        if (s.pausedUntil > now) r = { ok: false, retryAtMs: s.pausedUntil };
        else {
          try {
            const answer = budget.tryStart(op, now);
            r = answer instanceof Promise ? await answer : answer;
          } catch {
            r = { ok: false, retryAtMs: now + BUDGET_ERROR_RETRY_MS };
          }
        }
        if (r.ok) {
          const w = s.queue.shift();
          if (stopped || !w) {
            await budget.refund(op, r.startId).catch(() => undefined);
            break;
          }
          s.lastStart = now;
          w.resolve(r.startId);
        } else {
          await wait(op, Math.max(1, r.retryAtMs - now));
        }
      }
    } finally {
      s.pumping = false;
    }
  }

  async function run<T>(op: DefenderOperation, startId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const pauseMs = throttledFor(e);
      if (pauseMs !== undefined) {
        // Pause first, then refund: the freed slot must not let the next call go early.
        const s = get(op);
        s.pausedUntil = Math.max(s.pausedUntil, clock.now() + pauseMs);
        await budget.pause(op, s.pausedUntil).catch(() => undefined);
        await budget.refund(op, startId).catch(() => undefined);
        s.wake?.();
      }
      throw e;
    }
  }

  return {
    async schedule(op, fn, opts = {}) {
      if (stopped) throw new Error('Defender rate limiter stopped');
      const s = get(op);
      let waiter!: Waiter;
      const ticket = new Promise<string>((resolve, reject) => {
        waiter = { retry: opts.retry === true, resolve, reject };
      });
      // Retries go after earlier retries, ahead of every fresh call.
      let at = s.queue.length;
      if (waiter.retry) {
        at = s.queue.findIndex((w) => !w.retry);
        if (at < 0) at = s.queue.length;
      }
      s.queue.splice(at, 0, waiter);
      if (opts.onQueued) {
        const info = estimateAt(op, at + 1);
        if (info.waitMs > 0) opts.onQueued(info);
      }
      void pump(op);
      const startId = await ticket;
      return run(op, startId, fn);
    },
    pause(op, ms) {
      const s = get(op);
      s.pausedUntil = Math.max(s.pausedUntil, clock.now() + Math.max(0, ms));
      budget.pause(op, s.pausedUntil).catch(() => undefined);
    },
    estimate(op) {
      return estimateAt(op, get(op).queue.length + 1);
    },
    snapshot(op) {
      const s = get(op);
      const now = clock.now();
      const state = budget.peek(op, now);
      const pausedUntil = Math.max(s.pausedUntil, state.pausedUntilMs);
      return {
        waiting: s.queue.length,
        startsInLastHour: countSince(state.starts, hour, now),
        ...(pausedUntil > now ? { pausedUntil } : {}),
        ...(Number.isFinite(s.lastStart) ? { lastStartMs: s.lastStart } : {}),
      };
    },
    async stop() {
      if (stopped) return; // idempotent: shutdown and tests may both call it
      stopped = true;
      const error = new Error('Defender rate limiter stopped');
      for (const s of ops.values()) {
        s.wake?.();
        for (const w of s.queue.splice(0)) w.reject(error);
      }
    },
  };
}
