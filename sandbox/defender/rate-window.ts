/**
 * Sliding-window rate limits. Defender allows 100 calls per minute and 1,500 per hour
 * per operation (docs/defender-api.md, "Rate limit"); both windows are enforced at once.
 * A rejected call does not consume budget, and Retry-After is the time until enough
 * old calls leave every exceeded window (retrying earlier keeps you throttled).
 */
import type { Operation } from './types';

export interface Limits {
  perMinute: number;
  perHour: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export class SlidingWindow {
  /** Accepted call times, ascending; entries older than the longest window are pruned. */
  private times: number[] = [];
  private head = 0;

  /** Limits must be positive integers; the clock must not run backwards. */
  constructor(private readonly windows: readonly { ms: number; limit: number }[]) {}

  tryAcquire(now: number): Admission {
    const longest = Math.max(...this.windows.map((w) => w.ms));
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - longest) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    let waitMs = 0;
    for (const w of this.windows) {
      const inWindow = this.countSince(now - w.ms);
      if (inWindow >= w.limit) {
        // A slot frees when the limit-th most recent call leaves the window.
        const blocker = this.times[this.times.length - w.limit] as number;
        waitMs = Math.max(waitMs, blocker + w.ms - now);
      }
    }
    if (waitMs > 0) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    this.times.push(now);
    return { ok: true };
  }

  /** Calls with time > since (a call exactly one window old has left it). */
  private countSince(since: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) > since) hi = mid;
      else lo = mid + 1;
    }
    return this.times.length - lo;
  }
}

/** One SlidingWindow per operation. */
export class OperationLimiter {
  private readonly byOp = new Map<Operation, SlidingWindow>();

  constructor(private readonly limits: Limits) {}

  tryAcquire(op: Operation, now: number): Admission {
    let w = this.byOp.get(op);
    if (!w) {
      w = new SlidingWindow([
        { ms: MINUTE_MS, limit: this.limits.perMinute },
        { ms: HOUR_MS, limit: this.limits.perHour },
      ]);
      this.byOp.set(op, w);
    }
    return w.tryAcquire(now);
  }

  reset(): void {
    this.byOp.clear();
  }
}
