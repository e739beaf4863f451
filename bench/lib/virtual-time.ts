import { performance } from 'node:perf_hooks';
import FakeTimers from '@sinonjs/fake-timers';

/**
 * Discrete-event time for the rate-limit benchmark. The limiter reads the global clock
 * and timers, so they are replaced on the global object by
 * @sinonjs/fake-timers: Date, setTimeout/clearTimeout, setInterval/clearInterval.
 * Everything else stays real: sockets, setImmediate, promises, performance.now.
 *
 * The driver alternates two things: let real work finish (HTTP in flight, promise
 * chains) with the fake clock standing still, then jump to the next timer and fire
 * it. Time therefore advances only when nothing can happen before the next timer, so
 * the code sees exactly the timeline it would see in real time, minus the idle waits:
 * an hour of limiter waiting takes seconds. HTTP takes zero fake time (arrival = send
 * time); network delay is modelled separately by the caller.
 */
export interface VirtualTime {
  clock: FakeTimers.Clock;
  /** Steps until `done()`; `busy()` says real I/O is still in flight. Bounded in steps and wall time. */
  run(o: {
    done: () => boolean;
    busy: () => boolean;
    onStep?: () => void;
    maxSteps: number;
    maxWallMs: number;
  }): Promise<{ steps: number; wallMs: number }>;
  uninstall(): void;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

export function installVirtualTime(startMs = Date.now()): VirtualTime {
  const clock = FakeTimers.install({
    now: startMs,
    toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
  });

  /** Real I/O done and two quiet event-loop turns: every promise chain has run. */
  async function settle(busy: () => boolean, deadline: number): Promise<void> {
    let quiet = 0;
    while (quiet < 2) {
      await immediate();
      quiet = busy() ? 0 : quiet + 1;
      if (performance.now() > deadline) throw new Error('virtual time: real work did not settle in time');
    }
  }

  return {
    clock,
    async run(o) {
      const start = performance.now();
      const deadline = start + o.maxWallMs;
      let steps = 0;
      for (;;) {
        await settle(o.busy, deadline);
        o.onStep?.();
        if (o.done()) break;
        if (++steps > o.maxSteps) throw new Error(`virtual time: not done after ${o.maxSteps} steps`);
        if (clock.countTimers() === 0) throw new Error('virtual time: nothing scheduled, yet not done');
        clock.next();
      }
      return { steps, wallMs: performance.now() - start };
    },
    uninstall: () => clock.uninstall(),
  };
}
