/**
 * The one exponential back-off: `base · 2^step`, capped at `max`. Step 0 is the
 * first wait. Retries of Defender calls, Teams sends, offboard attempts and status
 * checks all use it (each with its own base and cap).
 */
export function backoffMs(step: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, step));
}
