import { silentLogger } from '../bot/log';
import { createDefenderClient, type RateLimiter } from '../bot/defender';
import { staticTokenProvider } from '../bot/defender/token';
import { SANDBOX_TOKEN } from '../sandbox/runtime';
import { startDefenderSimulator } from '../sandbox/defender';
import { messageActivity, postActivity, user } from '../test/fakes/teams';
import { OPEN_LIMITS, sayOffboard, startBenchBot, threadOf, type LimiterSetting } from './lib/bot';
import { startBenchConnector, type Arrival, type BenchConnector } from './lib/connector';
import { startEchoBot } from './lib/echo';
import { benchFleet, benchName } from './lib/fleet';
import { closedLoop, type RoundResult } from './lib/load';
import { startSimProcess, type BenchSimulator } from './lib/sim-process';
import { runMain } from './lib/results';
import { fmtSummary, hiResNow, round, summarize } from './lib/stats';

/**
 * Part 1: `offboard <name>` turns through the real bot over HTTP (request in → approval
 * card received by the Bot Connector), against a bare echo bot on the same stack, at
 * concurrency 1, 10 and 50. Each round gets a fresh runtime and DATA_DIR, so every
 * device in the generated fleet is free again (one active request per device).
 */
const ROUNDS = [
  { concurrency: 1, turns: 300 },
  { concurrency: 10, turns: 600 },
  { concurrency: 50, turns: 1000 },
];
/** The same turns with the limiter at the highest limit the config accepts. */
const CONFIG_MAX_ROUNDS = [
  { concurrency: 10, turns: 400 },
  { concurrency: 50, turns: 600 },
];
const WARMUP = 100;
const SIM_MODE = process.env.BENCH_SIM === 'inprocess' ? 'inprocess' : 'process';
const ROUND_DEADLINE_MS = 60_000;

export async function runTurns() {
  const fleetSize = WARMUP + Math.max(...ROUNDS.map((r) => r.turns));
  // The simulator's own windows are opened up too: this part measures turns, not limits.
  // In a process of its own by default, so CPU/turn is the bot's (plus load generator
  // and connector, as for the echo bot); BENCH_SIM=inprocess measures as before.
  const sim: BenchSimulator =
    SIM_MODE === 'inprocess'
      ? await startDefenderSimulator({ fleet: benchFleet(fleetSize), limits: OPEN_LIMITS })
      : await startSimProcess({ fleetSize, limits: OPEN_LIMITS });
  const connector = await startBenchConnector();
  const echo = await startEchoBot();
  try {
    const defenderReads = await timeDefenderReads(sim);
    console.log(`Defender reads of one turn, alone (client + simulator): ${fmtSummary(defenderReads)}`);
    const rounds = [];
    for (const { concurrency, turns } of ROUNDS) {
      const echoTurn = (tag: string) => async (i: number) => {
        const { where, conversationId } = threadOf(`${tag}-${i}`);
        const activity = messageActivity({
          serviceUrl: connector.url,
          from: user('alex'),
          text: 'hi',
          where,
        });
        return timeTurn(connector, conversationId, false, () => postActivity(echo.botUrl, activity));
      };
      const base = await warmThenMeasure(concurrency, turns, (phase) => echoTurn(`e${concurrency}${phase}`));
      const ours = await oursRound(sim, connector, concurrency, turns, 'open');
      const ratio = {
        p50: round(ours.latencyMs.p50 / base.latencyMs.p50, 1),
        p95: round(ours.latencyMs.p95 / base.latencyMs.p95, 1),
        p99: round(ours.latencyMs.p99 / base.latencyMs.p99, 1),
        throughput: round(ours.turnsPerSecond / base.turnsPerSecond, 3),
      };
      rounds.push({ concurrency, echo: base, offboarder: ours, ratio });
      print(concurrency, base, ours, ratio);
    }
    const configMax = [];
    for (const { concurrency, turns } of CONFIG_MAX_ROUNDS) {
      const r = await oursRound(sim, connector, concurrency, turns, 'configMax');
      configMax.push(r);
      console.log(
        `MDE_RATE_PER_MINUTE=10000, concurrency ${concurrency}: ${fmtSummary(r.latencyMs)}, ${r.turnsPerSecond} turns/s`,
      );
    }
    return {
      limiter: 'open: 10,000,000/min set on the config object',
      simulator: SIM_MODE === 'inprocess' ? 'in this process' : 'in a process of its own',
      warmupTurnsPerRound: WARMUP,
      fleetSize,
      defenderReadsAloneMs: defenderReads,
      rounds,
      configMax: { env: 'MDE_RATE_PER_MINUTE=10000 MDE_RATE_PER_HOUR=100000', rounds: configMax },
    };
  } finally {
    await echo.close();
    await connector.close();
    await sim.close();
  }
}

/** WARMUP unmeasured turns (JIT, connection pools), then the measured round. */
async function warmThenMeasure(
  concurrency: number,
  turns: number,
  turnFor: (phase: 'w' | 'm') => (i: number) => Promise<number>,
): Promise<RoundResult> {
  const deadlineMs = ROUND_DEADLINE_MS;
  await closedLoop({ total: WARMUP, concurrency, deadlineMs, turn: turnFor('w') });
  return closedLoop({ total: turns, concurrency, deadlineMs, turn: turnFor('m') });
}

async function oursRound(
  sim: BenchSimulator,
  connector: BenchConnector,
  concurrency: number,
  turns: number,
  limiter: LimiterSetting,
): Promise<RoundResult> {
  await sim.reset();
  const bot = await startBenchBot({ sim, limiter });
  try {
    const url = bot.runtime.botUrl;
    // Warm-up turns use devices 0..WARMUP-1, measured turns the next ones: one device per turn.
    return await warmThenMeasure(concurrency, turns, (phase) => async (i) => {
      const rootId = `o${limiter}${concurrency}${phase}-${i}`;
      const device = benchName(phase === 'w' ? i : WARMUP + i);
      return timeTurn(connector, threadOf(rootId).conversationId, true, () =>
        sayOffboard(url, connector, rootId, device),
      );
    });
  } finally {
    await bot.close();
  }
}

/** Request sent → the bot's post for that conversation at the connector. For our bot it
 * must be the approval card; any other reply (a refusal) counts as an error. */
async function timeTurn(
  connector: BenchConnector,
  conversationId: string,
  needCard: boolean,
  send: () => Promise<{ status: number; body: unknown }>,
): Promise<number> {
  const arrival = connector.expect(`conv:${conversationId}`, 15_000);
  arrival.catch(() => undefined); // a failed POST below must not leave an unhandled rejection
  const t0 = hiResNow();
  const res = await send();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  const got: Arrival = await arrival;
  if (needCard && !got.requestId) throw new Error(`no approval card, got: ${got.text?.slice(0, 200)}`);
  return got.at - t0;
}

/** The two Defender reads of an `offboard` turn, alone: what our turn waits on the
 * simulator (it runs in this process, so its CPU is shared with the bot). */
async function timeDefenderReads(sim: BenchSimulator) {
  const passThrough: RateLimiter = {
    schedule: (_op, fn) => fn(),
    pause: () => undefined,
    estimate: () => ({ position: 1, estimatedStartMs: Date.now(), waitMs: 0 }),
    snapshot: () => ({ waiting: 0, startsInLastHour: 0 }),
    stop: async () => undefined,
  };
  const client = createDefenderClient({
    baseUrl: sim.url,
    tokenProvider: staticTokenProvider(SANDBOX_TOKEN),
    limiter: passThrough,
    logger: silentLogger(),
    timeoutMs: 10_000,
  });
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = hiResNow();
    const [m] = await client.findMachinesByName(benchName(i % 50));
    await client.listMachineActions({ machineId: m!.id, type: 'Offboard' });
    if (i >= 50) samples.push(hiResNow() - t0);
  }
  await sim.reset();
  return summarize(samples);
}

function print(c: number, base: RoundResult, ours: RoundResult, ratio: Record<string, number>): void {
  const line = (name: string, r: RoundResult) =>
    `  ${name.padEnd(11)} ${fmtSummary(r.latencyMs)}, ${r.turnsPerSecond} turns/s, ` +
    `${r.cpuMsPerTurn} CPU ms/turn, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`;
  console.log(`concurrency ${c}:\n${line('echo', base)}\n${line('offboarder', ours)}`);
  console.log(
    `  ratio       p50 ×${ratio.p50}, p95 ×${ratio.p95}, p99 ×${ratio.p99}, throughput ×${ratio.throughput}`,
  );
}

runMain(module, 'turns', runTurns);
