import { startDefenderSimulator } from '../sandbox/defender';
import { sayOffboard, startBenchBot, threadOf } from './lib/bot';
import { startBenchConnector } from './lib/connector';
import { benchFleet, benchName } from './lib/fleet';
import { runMain } from './lib/results';
import { hiResNow, round } from './lib/stats';

/**
 * Part 1 at Defender's real limits: BURST people send `offboard <name>` at the same
 * instant to an idle bot (MDE_RATE_PER_MINUTE=100, MDE_RATE_PER_HOUR=1500, the
 * simulator enforcing the same). Every turn reads listMachines and listActions, and the
 * limiter starts calls of one operation at least 605 ms apart even when the minute's
 * budget is untouched, so the k-th card waits about k × 605 ms. This is the wait the
 * turn rounds (limiter opened up) leave out.
 */
const BURST = 10;

export async function runBurst() {
  const sim = await startDefenderSimulator({ fleet: benchFleet(BURST) });
  const connector = await startBenchConnector();
  const bot = await startBenchBot({ sim, limiter: 'production' });
  try {
    const url = bot.runtime.botUrl;
    const latencies = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const rootId = `b-${i}`;
        const card = connector.expect(`conv:${threadOf(rootId).conversationId}`, 30_000);
        const t0 = hiResNow();
        const res = await sayOffboard(url, connector, rootId, benchName(i));
        const got = await card;
        if (res.status !== 200 || !got.requestId) throw new Error(`turn ${i}: no card (${got.text})`);
        return round(got.at - t0, 1);
      }),
    );
    latencies.sort((a, b) => a - b);
    const throttled = sim.calls.filter((c) => c.status === 429).length;
    console.log(`${BURST} simultaneous offboard turns at 100/min: cards after ${latencies.join(', ')} ms`);
    console.log(`429s from the simulator: ${throttled}`);
    return { burst: BURST, limits: '100/min, 1500/h', cardLatenciesMs: latencies, simulator429s: throttled };
  } finally {
    await bot.close();
    await connector.close();
    await sim.close();
  }
}

runMain(module, 'burst', runBurst);
