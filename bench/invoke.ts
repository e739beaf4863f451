import { VERBS } from '../cards/verbs';
import { startDefenderSimulator } from '../sandbox/defender';
import { OPEN_LIMITS, click, openAndSubmit, startBenchBot } from './lib/bot';
import { startBenchConnector, type BenchConnector } from './lib/connector';
import { benchFleet, benchName } from './lib/fleet';
import { closedLoop } from './lib/load';
import { runMain } from './lib/results';
import { fmtSummary, hiResNow, summarize } from './lib/stats';

/**
 * Part 1, the invoke path: an approver's click on "Approve" (an Action.Execute invoke)
 * → the invoke's HTTP answer (the card for the clicker) and → the card update
 * (updateActivity) at the Bot Connector, which is what everyone else in the thread sees.
 * The click is the first of two approvals, so no Defender call follows it. Each click
 * needs a submitted request of its own: all are opened and submitted first (not
 * measured), then the clicks run, `concurrency` at a time.
 */
const ROUNDS = [
  { concurrency: 1, clicks: 150 },
  { concurrency: 10, clicks: 300 },
];
const WARMUP = 30;

export async function runInvoke() {
  const fleetSize = WARMUP + Math.max(...ROUNDS.map((r) => r.clicks));
  const sim = await startDefenderSimulator({ fleet: benchFleet(fleetSize), limits: OPEN_LIMITS });
  const connector = await startBenchConnector();
  const rounds = [];
  try {
    for (const { concurrency, clicks } of ROUNDS) {
      sim.reset();
      const bot = await startBenchBot({ sim, limiter: 'open' });
      try {
        rounds.push(await round(bot.runtime.botUrl, connector, concurrency, clicks));
      } finally {
        await bot.close();
      }
    }
    return { limiter: 'open (see turns)', warmupClicksPerRound: WARMUP, rounds };
  } finally {
    await connector.close();
    await sim.close();
  }
}

async function round(url: string, connector: BenchConnector, concurrency: number, clicks: number) {
  // Set-up first, so the measured clicks overlap only each other: one submitted request per click.
  const open: Array<{ rootId: string; requestId: string; cardId: string }> = [];
  const setup = await closedLoop({
    total: WARMUP + clicks,
    concurrency: 10,
    deadlineMs: 60_000,
    turn: async (i) => {
      const rootId = `i${concurrency}-${i}`;
      open[i] = { rootId, ...(await openAndSubmit(url, connector, rootId, benchName(i))) };
      return 0;
    },
  });
  if (setup.errors) throw new Error(`invoke set-up failed: ${setup.firstError}`);
  const responses: number[] = [];
  const approveClick = (offset: number) => async (i: number) => {
    const { rootId, requestId, cardId } = open[offset + i]!;
    const update = connector.expect(`update:${cardId}`, 15_000);
    update.catch(() => undefined);
    const t0 = hiResNow();
    const res = await click(url, connector, 'casey', VERBS.approve, { requestId }, rootId, cardId);
    const answered = hiResNow() - t0;
    const value = (res.body as { value?: unknown } | undefined)?.value;
    if (res.status !== 200 || typeof value !== 'object')
      throw new Error(`approval refused: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    const got = await update;
    if (offset > 0) responses.push(answered);
    return got.at - t0;
  };
  await closedLoop({ total: WARMUP, concurrency, deadlineMs: 60_000, turn: approveClick(0) });
  const r = await closedLoop({ total: clicks, concurrency, deadlineMs: 60_000, turn: approveClick(WARMUP) });
  const result = {
    concurrency,
    clicks: r.turns,
    errors: r.errors,
    ...(r.firstError ? { firstError: r.firstError } : {}),
    clicksPerSecond: r.turnsPerSecond,
    clickToCardUpdateMs: r.latencyMs,
    invokeResponseMs: summarize(responses),
  };
  console.log(
    `concurrency ${concurrency}: click → card update ${fmtSummary(result.clickToCardUpdateMs)}\n` +
      `               click → invoke answer ${fmtSummary(result.invokeResponseMs)}, ` +
      `${r.turnsPerSecond} clicks/s, errors ${r.errors}`,
  );
  return result;
}

runMain(module, 'invoke', runInvoke);
