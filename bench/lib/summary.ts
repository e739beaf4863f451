import type { runApproval } from '../approval';
import type { runBurst } from '../burst';
import type { runFootprint } from '../footprint';
import type { runInvoke } from '../invoke';
import type { runRateLimit } from '../rate-limit';
import type { runStore } from '../store';
import type { runTurns } from '../turns';
import type { Summary } from './stats';

/** The headline figures of a run, as printed by run-all.ts (the same lines RESULTS.md quotes). */
export interface Parts {
  turns?: Awaited<ReturnType<typeof runTurns>>;
  invoke?: Awaited<ReturnType<typeof runInvoke>>;
  burst?: Awaited<ReturnType<typeof runBurst>>;
  approval?: Awaited<ReturnType<typeof runApproval>>;
  'rate-limit'?: Awaited<ReturnType<typeof runRateLimit>>;
  store?: Awaited<ReturnType<typeof runStore>>;
  footprint?: Awaited<ReturnType<typeof runFootprint>>;
}

const ms = (s: Summary) => `p50 ${s.p50} / p95 ${s.p95} / p99 ${s.p99} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function summaryLines(p: Parts): string[] {
  const out: string[] = [];
  for (const r of p.turns?.rounds ?? []) {
    out.push(
      `turns c=${r.concurrency}: offboard ${ms(r.offboarder.latencyMs)}, ${r.offboarder.turnsPerSecond}/s | ` +
        `echo ${ms(r.echo.latencyMs)}, ${r.echo.turnsPerSecond}/s | ratio p50 ×${r.ratio.p50}, p99 ×${r.ratio.p99}, ` +
        `throughput ×${r.ratio.throughput}`,
    );
  }
  for (const r of p.turns?.configMax.rounds ?? [])
    out.push(
      `turns c=${r.concurrency} at MDE_RATE_PER_MINUTE=10000: ${ms(r.latencyMs)}, ${r.turnsPerSecond}/s`,
    );
  for (const r of p.invoke?.rounds ?? [])
    out.push(
      `approval click c=${r.concurrency}: → card update ${ms(r.clickToCardUpdateMs)}; → invoke answer ${ms(r.invokeResponseMs)}`,
    );
  if (p.burst)
    out.push(
      `${p.burst.burst} simultaneous turns at 100/min: cards after ${p.burst.cardLatenciesMs.join(', ')} ms`,
    );
  for (const r of p.burst?.runs.filter((x) => x.burst > 10) ?? [])
    out.push(
      `${r.burst} simultaneous turns at 100/min: ${r.within2s} cards within 2 s, 100th card ${r.first100LastMs} ms; ` +
        `${r.queued} queued, answered within ${r.firstAnswerMs.max} ms with the time, last card ${r.lastMs} ms`,
    );
  if (p.approval)
    out.push(
      `deciding click → offboard POST at Defender: p50 ${p.approval.clickToOffboardPostMs.p50} / p99 ${p.approval.clickToOffboardPostMs.p99} ms`,
    );
  for (const s of p['rate-limit']?.scenarios ?? [])
    out.push(
      `rate limit, ${s.name}: ${s.throughputPctOfLimits}% of the limits (${s.throughputPctOfEvenPacing}% of even pacing), ` +
        `429s ${s.status429.total} (${s.status429.fromRateWindows} from the windows), gave up ${s.gaveUp}, ` +
        `longest queue wait ${s.longestQueueWaitMin} min`,
    );
  if (p.store) {
    const o = p.store.operationsMs;
    const line = Object.entries(o).map(([k, v]) => `${k} p50 ${v.p50}/p99 ${v.p99}`);
    out.push(`store at ${p.store.requests}: ${line.join('; ')} ms`);
    out.push(`maintenance sweep at ${p.store.requests}: ${ms(p.store.maintenanceSweepMs)}`);
    for (const x of p.store.sizes ?? [])
      out.push(
        `store at ${x.requests}: get p50 ${x.operationsMs.get!.p50}, create p50 ${x.operationsMs.create!.p50}, ` +
          `sweep p50 ${x.maintenanceSweepMs.p50} ms; ${x.dbMiB} MiB on disk`,
      );
  }
  if (p.footprint?.playground)
    out.push(`npm start to a working Playground URL: ${p.footprint.playground.readyMs.join(' / ')} ms`);
  for (const r of p.footprint?.results ?? [])
    out.push(
      `start-up ${r.variant}, ${r.store}: ready in ${median(r.readyMs)} ms (median of ${r.readyMs.length}); ` +
        `RSS idle ${r.botRssMiB} MiB (all processes ${r.totalRssMiB} MiB)`,
    );
  return out;
}
