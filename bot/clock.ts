/**
 * Time is injected everywhere (docs/architecture.md, habit 5) so expiry, retries, rate
 * limits and tracking back-off are tested without waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Timer {
  cancel(): void;
}

export interface Scheduler {
  /** Runs `fn` after `ms` milliseconds of this scheduler's time. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Resolves after `ms` milliseconds of this scheduler's time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    // Timers must never keep a stopping process alive; shutdown cancels what matters.
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
  sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  },
};

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
