import { startDefenderSimulator } from '../sandbox/defender';
import { sayOffboard, startBenchBot, threadOf } from './lib/bot';
import { startBenchConnector } from './lib/connector';
import { benchFleet, benchName } from './lib/fleet';
import { runMain } from './lib/results';
import { hiResNow, round, summarize } from './lib/stats';

/**
 * Part 1 at Defender's real limits: N people send `offboard <name>` at the same instant
 * to an idle bot (MDE_RATE_PER_MINUTE=100, MDE_RATE_PER_HOUR=1500, the simulator
 * enforcing the same), N = 10 and 150, each on a fresh bot and simulator. Every turn
 * reads listMachines and listActions. The limiter lets a burst go as long as both
 * sliding windows allow it, so the first 100 turns of a minute are not held back; the
 * 101st and later wait until the first start has left the minute window (61 s with the
 * margin): their turns answer at once with the expected time, and the card follows.
 * Real time: the 150 run takes about a minute.
 */
/** BURST_SIZES=10,10,10 runs only those (repeated runs to compare builds). */
const BURSTS = (process.env.BURST_SIZES ?? '10,150').split(',').map(Number);

async function burst(size: number) {
  const sim = await startDefenderSimulator({ fleet: benchFleet(size) });
  const connector = await startBenchConnector();
  const bot = await startBenchBot({ sim, limiter: 'production' });
  try {
    const url = bot.runtime.botUrl;
    const turns = await Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const rootId = `b-${i}`;
        const key = `conv:${threadOf(rootId).conversationId}`;
        const first = connector.expect(key, 150_000);
        first.catch(() => undefined);
        const t0 = hiResNow();
        const res = await sayOffboard(url, connector, rootId, benchName(i));
        const turnMs = hiResNow() - t0;
        if (res.status !== 200) throw new Error(`turn ${i}: HTTP ${res.status}`);
        const answer = await first;
        // A turn whose look-up the limiter holds answers at once with the expected time,
        // then the card follows in the thread.
        let eta: string | undefined;
        let card = answer;
        if (!answer.requestId) {
          eta = answer.text;
          card = await connector.expect(key, 150_000);
        }
        if (!card.requestId) throw new Error(`turn ${i}: no card, got ${card.text?.slice(0, 200)}`);
        return {
          firstAnswerMs: round(answer.at - t0, 1),
          cardMs: round(card.at - t0, 1),
          turnMs: round(turnMs, 1),
          eta,
        };
      }),
    );
    const cards = turns.map((t) => t.cardMs).sort((a, b) => a - b);
    const queued = turns.filter((t) => t.eta);
    const firstAnswers = turns.map((t) => t.firstAnswerMs).sort((a, b) => a - b);
    const throttled = sim.calls.filter((c) => c.status === 429).length;
    const within = (xs: number[], ms: number) => xs.filter((l) => l <= ms).length;
    return {
      burst: size,
      cardLatenciesMs: cards,
      within1s: within(cards, 1_000),
      within2s: within(cards, 2_000),
      first100LastMs: cards[Math.min(99, size - 1)]!,
      lastMs: cards.at(-1)!,
      queued: queued.length,
      /** Every turn's first answer in its thread: the card, or the ETA message. */
      firstAnswerMs: summarize(firstAnswers),
      /** HTTP request → response of the turn (Teams wants it within 15 s). */
      turnResponseMs: summarize(turns.map((t) => t.turnMs)),
      exampleEta: queued[0]?.eta,
      simulator429s: throttled,
      unclaimedArrivals: connector.unclaimed,
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
        `100th card ${r.first100LastMs} ms, last ${r.lastMs} ms; ${r.queued} queued (first answer ` +
        `p50 ${r.firstAnswerMs.p50} / max ${r.firstAnswerMs.max} ms, e.g. "${r.exampleEta ?? '-'}"); ` +
        `turn responses max ${r.turnResponseMs.max} ms; 429s from the simulator: ${r.simulator429s}`,
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
