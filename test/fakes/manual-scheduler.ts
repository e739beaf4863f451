import type { Scheduler, Timer } from '../../bot/clock';
import { manualClock, type ManualClock } from './manual-clock';

/** A clock and scheduler that move only when a test says so (docs/architecture.md, habit 5). */
export interface ManualTime {
  clock: ManualClock;
  scheduler: Scheduler;
  /** Moves time forward, firing due timers in order; awaits microtasks between them. */
  advance(ms: number): Promise<void>;
  pending(): number[];
}

export function manualTime(startMs?: number): ManualTime {
  const clock = manualClock(startMs);
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const flush = () => new Promise((r) => setImmediate(r));
  const scheduler: Scheduler = {
    setTimeout(fn, ms): Timer {
      const id = ++seq;
      timers.set(id, { at: clock.now() + Math.max(0, ms), fn });
      return { cancel: () => timers.delete(id) };
    },
    sleep(ms) {
      return new Promise((resolve) => scheduler.setTimeout(resolve, ms));
    },
  };
  return {
    clock,
    scheduler,
    async advance(ms) {
      const end = clock.now() + ms;
      for (let i = 0; i < 10; i++) await flush();
      for (;;) {
        const next = [...timers.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        timers.delete(next[0]);
        clock.set(Math.max(clock.now(), next[1].at));
        next[1].fn();
        for (let i = 0; i < 10; i++) await flush();
      }
      clock.set(end);
      for (let i = 0; i < 10; i++) await flush();
    },
    pending: () => [...timers.values()].map((t) => t.at - clock.now()).sort((a, b) => a - b),
  };
}
