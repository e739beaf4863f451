/**
 * What Defender's limits allow, computed exactly, to compare the limiter against.
 * The simulator's rule (sandbox/defender/rate-window.ts): per operation, at most
 * `limit` accepted calls in any window of `ms`; a call exactly one window old has left.
 */
export interface Window {
  ms: number;
  limit: number;
}

/**
 * Start times (ms from 0) of `n` calls sent as early as the windows allow. Greedy is
 * optimal here: call k may start once call k-limit has left every window. This is the
 * fastest any client could go, bursts included (100 calls at the same instant).
 */
export function earliestSchedule(n: number, windows: readonly Window[], minSpacingMs = 0): number[] {
  const t: number[] = [];
  for (let k = 0; k < n; k++) {
    let at = k === 0 ? 0 : t[k - 1]! + minSpacingMs;
    for (const w of windows) if (k >= w.limit) at = Math.max(at, t[k - w.limit]! + w.ms);
    t.push(at);
  }
  return t;
}

/** The most calls inside any window of `ms` (closed on the right, open on the left). */
export function peakInWindow(sortedTimes: readonly number[], ms: number): number {
  let peak = 0;
  let lo = 0;
  for (let hi = 0; hi < sortedTimes.length; hi++) {
    while (sortedTimes[lo]! <= sortedTimes[hi]! - ms) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}
