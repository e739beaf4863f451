import { startDefenderSimulator } from '../sandbox/defender';
import { sayOffboard, startBenchBot, threadOf } from './lib/bot';
import { startBenchConnector } from './lib/connector';
import { benchFleet, benchName } from './lib/fleet';
import { runMain } from './lib/results';
import { hiResNow, round } from './lib/stats';

/**
 * Part 1 at Defender's real limits: N people send `offboard <name>` at the same instant
 * to an idle bot (MDE_RATE_PER_MINUTE=100, MDE_RATE_PER_HOUR=1500, the simulator
 * enforcing the same), N = 10 and 150, each on a fresh bot and simulator. Every turn
 * reads listMachines and listActions. The limiter lets a burst go as long as both
 * sliding windows allow it, so the first 100 turns of a minute are not held back; the
 * 101st and later wait until the first start has left the minute window (61 s with the
 * margin). Real time: the 150 run takes about a minute.
 */
const BURSTS = [10, 150];

async function burst(size: number) {
  const sim = await startDefenderSimulator({ fleet: benchFleet(size) });
  const connector = await startBenchConnector();
  const bot = await startBenchBot({ sim, limiter: 'production' });
  const other: number[] = [];
  try {
    const url = bot.runtime.botUrl;
    const latencies = await Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const rootId = `b-${i}`;
        const key = `conv:${threadOf(rootId).conversationId}`;
        const card = connector.expect(key, 120_000);
        const t0 = hiResNow();
        const res = await sayOffboard(url, connector, rootId, benchName(i));
        const got = await card;
        if (res.status !== 200) throw new Error(`turn ${i}: HTTP ${res.status}`);
        // The first thing the thread sees; a turn held by the limiter may first get an
        // activity with neither text nor card (under investigation: see the report).
        if (!got.requestId) other.push(round(got.at - t0, 1));
        return round(got.at - t0, 1);
      }),
    );
    latencies.sort((a, b) => a - b);
    const throttled = sim.calls.filter((c) => c.status === 429).length;
    const within = (ms: number) => latencies.filter((l) => l <= ms).length;
    return {
      burst: size,
      cardLatenciesMs: latencies,
      within1s: within(1_000),
      within2s: within(2_000),
      first100LastMs: latencies[Math.min(99, size - 1)]!,
      lastMs: latencies.at(-1)!,
      simulator429s: throttled,
      firstArrivalWithoutCard: other.length,
    };
  } finally {
    await bot.close();
    await connector.close();
    await sim.close();
  }
}

export async function runBurst() {
  const runs = [];
  for (const size of BURSTS) {
    const r = await burst(size);
    runs.push(r);
    const shown =
      size <= 10 ? r.cardLatenciesMs.join(', ') : `${r.within1s} within 1 s, ${r.within2s} within 2 s`;
    console.log(
      `${size} simultaneous offboard turns at 100/min: cards after ${shown} ms; ` +
        `100th card ${r.first100LastMs} ms, last ${r.lastMs} ms; 429s from the simulator: ${r.simulator429s}`,
    );
  }
  const ten = runs[0]!;
  return {
    burst: ten.burst,
    limits: '100/min, 1500/h',
    cardLatenciesMs: ten.cardLatenciesMs,
    simulator429s: ten.simulator429s,
    runs,
  };
}

runMain(module, 'burst', runBurst);
