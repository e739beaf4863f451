import { performance } from 'node:perf_hooks';
import { round, summarize, type Summary } from './stats';

/**
 * A closed-loop load generator: `concurrency` workers each run one turn after another
 * until `total` turns have started. Closed loop (not a fixed arrival rate) is how a
 * chat bot is loaded: a person sends the next command after seeing the answer.
 * Bounded in count and in time: it stops at `deadlineMs` whatever happens.
 */
export interface RoundResult {
  concurrency: number;
  turns: number;
  errors: number;
  firstError?: string;
  wallMs: number;
  turnsPerSecond: number;
  latencyMs: Summary;
  /** Process CPU (user + system) per turn; everything in this process counts. */
  cpuMsPerTurn: number;
}

export async function closedLoop(o: {
  total: number;
  concurrency: number;
  deadlineMs: number;
  /** Runs turn `i`; returns its latency in ms, or throws. */
  turn: (i: number) => Promise<number>;
}): Promise<RoundResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const worker = async () => {
    while (next < o.total && performance.now() - start < o.deadlineMs) {
      const i = next++;
      try {
        latencies.push(await o.turn(i));
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const done = latencies.length + errors;
  return {
    concurrency: o.concurrency,
    turns: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    wallMs: round(wallMs),
    turnsPerSecond: round(latencies.length / (wallMs / 1000), 1),
    latencyMs: summarize(latencies),
    cpuMsPerTurn: round((cpu.user + cpu.system) / 1000 / Math.max(1, done)),
  };
}
