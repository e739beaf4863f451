import { writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { startDefenderSimulator } from '../sandbox/defender';
import { startSimProcess, type BenchSimulator } from './lib/sim-process';
import { OPEN_LIMITS, sayOffboard, startBenchBot, threadOf } from './lib/bot';
import { startBenchConnector } from './lib/connector';
import { benchFleet, benchName } from './lib/fleet';
import { closedLoop } from './lib/load';
import { RESULTS_DIR, runMain } from './lib/results';
import { fmtSummary, hiResNow } from './lib/stats';

/**
 * A CPU profile of `offboard` turns, as `node --cpu-prof` would take it but limited to
 * the measured turns (V8's sampling profiler through node:inspector, 100 µs interval):
 * WARMUP turns unprofiled, then TURNS turns at concurrency 1. Writes
 * bench/results/offboard-turn.cpuprofile (open it in Chrome DevTools) and prints the
 * top frames by self time and the self time per package. The simulator runs in a
 * process of its own, as for turns.ts, so the profile is the bot's process (with the
 * load generator and the connector, attributed to bench/); BENCH_SIM=inprocess puts
 * the simulator in it too (attributed to sandbox/), as before 2026-12-02.
 */
const WARMUP = 200;
const TURNS = Number(process.env.PROFILE_TURNS ?? 600);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export async function runProfile() {
  const sim: BenchSimulator =
    process.env.BENCH_SIM === 'inprocess'
      ? await startDefenderSimulator({ fleet: benchFleet(WARMUP + TURNS), limits: OPEN_LIMITS })
      : await startSimProcess({ fleetSize: WARMUP + TURNS, limits: OPEN_LIMITS });
  const connector = await startBenchConnector();
  const bot = await startBenchBot({ sim, limiter: 'open' });
  const session = new Session();
  session.connect();
  try {
    const url = bot.runtime.botUrl;
    const turn = (offset: number, tag: string) => async (i: number) => {
      const rootId = `p${tag}-${i}`;
      const arrival = connector.expect(`conv:${threadOf(rootId).conversationId}`, 15_000);
      const t0 = hiResNow();
      const res = await sayOffboard(url, connector, rootId, benchName(offset + i));
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const got = await arrival;
      if (!got.requestId) throw new Error(`no card: ${got.text}`);
      return got.at - t0;
    };
    await closedLoop({ total: WARMUP, concurrency: 1, deadlineMs: 60_000, turn: turn(0, 'w') });
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const round = await closedLoop({
      total: TURNS,
      concurrency: 1,
      deadlineMs: 120_000,
      turn: turn(WARMUP, 'm'),
    });
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, 'offboard-turn.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    const { frames, packages, totalMs } = summarise(profile, round.turns);
    console.log(
      `${round.turns} turns at c=1: ${fmtSummary(round.latencyMs)}, ${round.cpuMsPerTurn} CPU ms/turn (whole process)`,
    );
    console.log(`profile: ${file} (${totalMs} ms sampled)\n\ntop frames by self time (ms per turn, %):`);
    for (const f of frames.slice(0, 25))
      console.log(`  ${f.msPerTurn.toFixed(3).padStart(7)}  ${f.pct.toFixed(1).padStart(5)}%  ${f.frame}`);
    console.log('\nself time by package (ms per turn, %):');
    for (const p of packages.slice(0, 20))
      console.log(`  ${p.msPerTurn.toFixed(3).padStart(7)}  ${p.pct.toFixed(1).padStart(5)}%  ${p.name}`);
    return {
      turns: round.turns,
      latencyMs: round.latencyMs,
      cpuMsPerTurn: round.cpuMsPerTurn,
      topFrames: frames.slice(0, 25),
      packages: packages.slice(0, 20),
    };
  } finally {
    session.disconnect();
    await bot.close();
    await connector.close();
    await sim.close();
  }
}

/** Self time per frame and per package (node_modules/<pkg>, or our top-level folder). */
function summarise(p: Profile, turns: number) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '');
    const short = where.replace(/^.*\/(bot|cards|bench|sandbox|test)\//, '$1/');
    const frame = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    packages.set(packageOf(url, functionName), (packages.get(packageOf(url, functionName)) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, msPerTurn: us / 1000 / turns, pct: (100 * us) / total }));
  return {
    totalMs: Math.round(total / 1000),
    frames: rank(frames).map(({ name, ...r }) => ({ frame: name, ...r })),
    packages: rank(packages),
  };
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native / V8)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node core';
  const ours = /\/(bot|cards|bench|sandbox|test)\//.exec(url);
  return ours ? `${ours[1]}/` : url;
}

runMain(module, 'profile', runProfile);
