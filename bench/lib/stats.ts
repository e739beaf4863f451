import { performance } from 'node:perf_hooks';

// Captured at load, before any benchmark installs fake timers on the global object.
const setTimeoutReal = globalThis.setTimeout.bind(globalThis);

/** Percentiles and small helpers shared by the benchmarks. Benchmarks report; they never assert. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (no interpolation): p99 of 500 samples is the 495th smallest. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.length ? sum / sorted.length : NaN),
  };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "p50 4.1 / p95 6.0 / p99 9.8 ms (n=500)" */
export function fmtSummary(s: Summary, unit = 'ms'): string {
  return `p50 ${s.p50} / p95 ${s.p95} / p99 ${s.p99} ${unit} (max ${s.max}, n=${s.n})`;
}

/** Wall clock with sub-millisecond resolution, comparable across servers in this process. */
export const hiResNow = (): number => performance.timeOrigin + performance.now();

/** Resolves after `ms` of real time, whatever the global timers are (fake timers included). */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeoutReal(resolve, ms));

/** Polls `pred` every `everyMs` of real time; rejects after `timeoutMs` (benchmarks must stop by themselves). */
export async function until(
  pred: () => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 1,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > end)
      throw new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await realSleep(everyMs);
  }
}
