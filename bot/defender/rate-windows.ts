/**
 * Sliding-log arithmetic for Defender's per-operation limits (pure: no clock, no I/O).
 * A start at `s` counts in a window of `ms` at time `t` while t - s < ms. The windows
 * are Defender's plus a margin on their length, so latency between our start and the
 * server's count cannot push a start into a window the server still counts
 * (docs/defender-api.md, "Rate limiting in this client").
 */
export interface RateLimits {
  perMinute: number;
  perHour: number;
}

export interface RateWindow {
  ms: number;
  limit: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Added to each window's length: a start counts for 61 s and 3,601 s. */
export const DEFAULT_WINDOW_MARGIN_MS = 1_000;

export function windowsFor(limits: RateLimits, marginMs = DEFAULT_WINDOW_MARGIN_MS): RateWindow[] {
  if (!(limits.perMinute >= 1 && limits.perHour >= 1)) throw new Error('rate limits must be at least 1');
  if (!(marginMs >= 0)) throw new Error('the window margin must not be negative');
  return [
    { ms: MINUTE_MS + marginMs, limit: Math.floor(limits.perMinute) },
    { ms: HOUR_MS + marginMs, limit: Math.floor(limits.perHour) },
  ];
}

export const longestWindow = (windows: readonly RateWindow[]) => Math.max(...windows.map((w) => w.ms));

/** Earliest time ≥ `now` at which one more start keeps every window within its limit.
 * `starts` ascending. Only the `limit`-th most recent start of each window matters. */
export function nextStartAt(starts: readonly number[], windows: readonly RateWindow[], now: number): number {
  let at = now;
  for (const w of windows) {
    const blocker = starts[starts.length - w.limit];
    if (blocker !== undefined) at = Math.max(at, blocker + w.ms);
  }
  return at;
}

/** Start times of the next `n` calls if each starts as early as the windows allow, from
 * `from` on, after `starts` (ascending). What a queue position's ETA is. */
export function projectStarts(
  starts: readonly number[],
  windows: readonly RateWindow[],
  from: number,
  n: number,
): number[] {
  const keep = Math.max(...windows.map((w) => w.limit));
  const log = starts.slice(-keep);
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < n; i++) {
    t = nextStartAt(log, windows, t);
    out.push(t);
    log.push(t);
    if (log.length > 2 * keep) log.splice(0, log.length - keep);
  }
  return out;
}

/** Starts still counted at `now` by the window of `ms`. `starts` ascending. */
export function countSince(starts: readonly number[], ms: number, now: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! > now - ms) hi = mid;
    else lo = mid + 1;
  }
  return starts.length - lo;
}
