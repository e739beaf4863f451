import type { Clock } from '../../bot/clock';

/** A clock that moves only when told to (docs/architecture.md, habit 5). */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function manualClock(startMs: number = Date.UTC(2025, 0, 15, 12, 0, 0)): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}
