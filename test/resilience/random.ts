import { mulberry32, type Rng } from '../../sandbox/defender/rng';

/**
 * Seeded choices for the resilience tests: a run is repeated exactly by setting the
 * printed seed (e.g. CRASH_SEED=123 npx jest test/resilience/crash.test.ts).
 */
export type { Rng };

export function seeded(envName: string): { seed: number; rng: Rng } {
  const fromEnv = Number(process.env[envName]);
  const seed = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Date.now() % 2_000_000_000) + 1;
  return { seed, rng: mulberry32(seed) };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Consecutive groups of min..max items (the last may be smaller). */
export function groups<T>(rng: Rng, items: readonly T[], min: number, max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const n = min + Math.floor(rng() * (max - min + 1));
    out.push(items.slice(i, i + n));
    i += n;
  }
  return out;
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}
