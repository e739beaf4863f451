import { createDefenderClient, createRateLimiter, type RateLimiter } from '../bot/defender';
import { staticTokenProvider } from '../bot/defender/token';
import { silentLogger } from '../bot/log';
import { SANDBOX_TOKEN } from '../sandbox/runtime';
import { startDefenderSimulator } from '../sandbox/defender';
import { mulberry32 } from '../sandbox/defender/rng';
import { benchFleet } from './lib/fleet';
import { runMain } from './lib/results';
import { round, summarize } from './lib/stats';
import { installVirtualTime } from './lib/virtual-time';
import { earliestSchedule, peakInWindow } from './lib/windows';

/**
 * Part 2: 3,000 offboards queued at once on the real limiter + Defender client, against
 * the simulator enforcing 100/min and 1,500/h per operation, on virtual time (see
 * lib/virtual-time.ts): 75 minutes of Defender time in a few seconds. Every call
 * reaches the simulator 0-200 ms (seeded, uniform) after the limiter lets it go, as a
 * network would delay it. The same run again with a 429 storm injected mid-way: five
 * consecutive 429s with Retry-After 30 s (one fewer than the client's give-up count).
 * Targets (issue #11): steady ≥ 98.5 % of what the limits allow and 0 × 429; the storm
 * ≥ 95 % (a 429 is refunded by the limiter, so it only costs its Retry-After).
 */
const N = 3000;
const LIMITS = { perMinute: 100, perHour: 1500 };
const WINDOWS = [
  { ms: 60_000, limit: LIMITS.perMinute },
  { ms: 3_600_000, limit: LIMITS.perHour },
];
const JITTER_MS = 200;
const MINUTE = 60_000;

interface Storm {
  afterAccepted: number;
  remaining: number;
  retryAfterSeconds: number;
}

async function scenario(name: string, storm?: Storm) {
  const vt = installVirtualTime();
  const t0 = Date.now(); // virtual from here on
  const sim = await startDefenderSimulator({ fleet: benchFleet(N, t0), limits: LIMITS });
  const limiter = createRateLimiter(LIMITS);
  const jitter = mulberry32(42);
  let inFlight = 0;
  // The real limiter; the wrapper only adds network delay and counts real HTTP in flight.
  const delayed: RateLimiter = {
    ...limiter,
    schedule: (op, fn, opts) =>
      limiter.schedule(
        op,
        async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.round(jitter() * JITTER_MS)));
          inFlight++;
          try {
            return await fn();
          } finally {
            inFlight--;
          }
        },
        opts,
      ),
  };
  const client = createDefenderClient({
    baseUrl: sim.url,
    tokenProvider: staticTokenProvider(SANDBOX_TOKEN),
    limiter: delayed,
    logger: silentLogger(),
    timeoutMs: 30_000,
  });

  const estimates = new Map<string, number>();
  let settled = 0;
  let failed = 0;
  let firstError: string | undefined;
  for (const m of sim.machines) {
    const onQueued = (q: { estimatedStartMs: number }) => estimates.set(m.id, q.estimatedStartMs);
    client.offboard(m.id, 'bench: rate-limit utilization', { skipPendingCheck: true, onQueued }).then(
      () => settled++,
      (e: Error) => {
        settled++;
        failed++;
        firstError ??= e.message;
      },
    );
  }

  let seen = 0;
  let accepted = 0;
  let injectedAt: number | undefined;
  try {
    const run = await vt.run({
      done: () => settled === N,
      busy: () => inFlight > 0,
      maxSteps: 200_000,
      maxWallMs: 120_000,
      onStep: () => {
        for (; seen < sim.calls.length; seen++) if (sim.calls[seen]!.status === 201) accepted++;
        if (storm && injectedAt === undefined && accepted >= storm.afterAccepted) {
          injectedAt = Date.now() - t0;
          sim.setFaults({
            storm429: { remaining: storm.remaining, retryAfterSeconds: storm.retryAfterSeconds },
          });
        }
      },
    });
    return report(name, t0, sim.calls, estimates, { failed, firstError, storm, injectedAt, ...run });
  } finally {
    await limiter.stop();
    await sim.close();
    vt.uninstall();
  }
}

function report(
  name: string,
  t0: number,
  calls: ReadonlyArray<{ at: number; path: string; status: number; operation: string }>,
  estimates: Map<string, number>,
  run: {
    failed: number;
    firstError?: string;
    storm?: Storm;
    injectedAt?: number;
    steps: number;
    wallMs: number;
  },
) {
  const posts = calls.filter((c) => c.operation === 'offboard');
  const ok = posts.filter((c) => c.status === 201);
  const at = ok.map((c) => c.at - t0).sort((a, b) => a - b);
  const makespan = at[at.length - 1]!;
  const fastest = earliestSchedule(N, WINDOWS).at(-1)!;
  const paced = earliestSchedule(N, WINDOWS, MINUTE / LIMITS.perMinute).at(-1)!;
  const throttled = posts.filter((c) => c.status === 429).length;
  const injected = run.storm ? Math.min(run.storm.remaining, throttled) : 0;
  const estimateErrors = ok
    .map((c) => {
      const id = /\/api\/machines\/([0-9a-f]{40})\/offboard/.exec(c.path)?.[1] ?? '';
      const est = estimates.get(id);
      return est === undefined ? undefined : Math.abs(c.at - est) / 1000;
    })
    .filter((e): e is number => e !== undefined);
  // While only the minute window binds (the first 1,000 calls, before any storm): how
  // close the limiter comes to 100 per minute. Then what the first hour held.
  const first1000 = at[999]! - at[0]!;
  const inFirstHour = at.filter((a) => a < WINDOWS[1]!.ms);
  return {
    name,
    calls: N,
    accepted: ok.length,
    gaveUp: run.failed,
    ...(run.firstError ? { firstError: run.firstError } : {}),
    ...(run.storm ? { storm: { ...run.storm, injectedAtMin: round((run.injectedAt ?? NaN) / MINUTE) } } : {}),
    virtualMinutes: round(makespan / MINUTE),
    fastestPossibleMinutes: round(fastest / MINUTE),
    evenlyPacedMinutes: round(paced / MINUTE),
    throughputPctOfLimits: round((100 * fastest) / makespan, 1),
    throughputPctOfEvenPacing: round((100 * paced) / makespan, 1),
    perMinuteOverFirst1000: round((999 * MINUTE) / first1000, 1),
    firstHour: { accepted: inFirstHour.length, lastAtMin: round(inFirstHour.at(-1)! / MINUTE) },
    peakInAnyMinute: peakInWindow(at, WINDOWS[0]!.ms),
    peakInAnyHour: peakInWindow(at, WINDOWS[1]!.ms),
    status429: { total: throttled, injected, fromRateWindows: throttled - injected },
    longestQueueWaitMin: round(makespan / MINUTE),
    queueWaitMin: summarize(at.map((a) => a / MINUTE)),
    queuedEstimateErrorS: summarize(estimateErrors),
    wallSeconds: round(run.wallMs / 1000, 1),
    virtualTimeSteps: run.steps,
  };
}

export async function runRateLimit() {
  const steady = await scenario('steady');
  print(steady);
  const storm = await scenario('429 storm', { afterAccepted: 1000, remaining: 5, retryAfterSeconds: 30 });
  print(storm);
  const stormCostMin = round(storm.virtualMinutes - steady.virtualMinutes);
  console.log(`the storm cost ${stormCostMin} min on the last call (its Retry-After total: 2.5 min)`);
  return { jitterMs: JITTER_MS, limits: LIMITS, scenarios: [steady, storm], stormCostMin };
}

function print(r: Awaited<ReturnType<typeof scenario>>): void {
  console.log(
    `${r.name}: ${r.accepted}/${r.calls} accepted in ${r.virtualMinutes} virtual min ` +
      `(fastest the limits allow ${r.fastestPossibleMinutes}, evenly paced ${r.evenlyPacedMinutes}) → ` +
      `${r.throughputPctOfLimits}% of the limits, ${r.throughputPctOfEvenPacing}% of even pacing; ` +
      `429s ${r.status429.total} (injected ${r.status429.injected}); gave up ${r.gaveUp}; ` +
      `longest queue wait ${r.longestQueueWaitMin} min; peaks ${r.peakInAnyMinute}/min, ${r.peakInAnyHour}/h; ` +
      `wall ${r.wallSeconds} s`,
  );
}

runMain(module, 'rate-limit', runRateLimit);
