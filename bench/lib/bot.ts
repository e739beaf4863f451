import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Clock } from '../../bot/clock';
import { loadConfig } from '../../bot/config';
import { createLogger, type Logger } from '../../bot/log';
import {
  SANDBOX_DEFAULTS,
  startSandboxRuntime as startRuntime,
  type SandboxRuntime as Runtime,
} from '../../sandbox/runtime';
import type { DefenderSimulator } from '../../sandbox/defender';
import {
  channel,
  invokeActivity,
  messageActivity,
  postActivity,
  TEAM_ID,
  user,
} from '../../test/fakes/teams';
import { VERBS } from '../../cards/verbs';
import type { Arrival, BenchConnector } from './connector';

/**
 * The real bot for benchmarks: startRuntime in sandbox mode (auth off, Playground off,
 * port 0) against a simulator and a connector the benchmark owns, so several bot
 * instances in a run share them. Logs go through pino at `info`, as in production,
 * into /dev/null: the serialising is paid, the terminal is not.
 */
export const BENCH_ENV: Record<string, string> = {
  PLAYGROUND: 'false',
  PORT: '0',
  LOG_LEVEL: 'info',
  // The highest the config accepts (bot/config.ts). The limiter still spaces each
  // operation's calls by 60000/perMinute + 5 ms = 11 ms; part 2 measures the limiter.
  MDE_RATE_PER_MINUTE: '10000',
  MDE_RATE_PER_HOUR: '100000',
};

/** `open`: the limiter as far out of the way as it goes. loadConfig caps the env at
 * 10,000/min, so the benchmark sets the validated config object directly; the 5 ms
 * spacing margin stays (60000/1e7 + 5 = 5.006 ms between starts of one operation).
 * `configMax`: BENCH_ENV as is. `production`: Defender's 100/min and 1,500/h. */
export type LimiterSetting = 'open' | 'configMax' | 'production';

/** Simulator windows for parts that measure the bot rather than the limits. */
export const OPEN_LIMITS = { perMinute: 1_000_000, perHour: 1_000_000 };

export function benchLogger(): Logger {
  return createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) });
}

export interface BenchBot {
  runtime: Runtime;
  dataDir: string;
  close(): Promise<void>;
}

/** A fresh runtime, by default on a fresh DATA_DIR (on disk: SQLite's fsyncs cost what they cost). */
export async function startBenchBot(o: {
  /** Only its url is used: it may run in another process (sim-process.ts). */
  sim: Pick<DefenderSimulator, 'url'>;
  env?: Record<string, string>;
  clock?: Clock;
  limiter: LimiterSetting;
  /** An existing DATA_DIR, kept on close; default a fresh one, removed on close. */
  dataDir?: string;
}): Promise<BenchBot> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'offboarder-bench-'));
  const production = { MDE_RATE_PER_MINUTE: '100', MDE_RATE_PER_HOUR: '1500' };
  const config = loadConfig(
    {
      ...BENCH_ENV,
      ...(o.limiter === 'production' ? production : {}),
      DATA_DIR: dataDir,
      ...o.env,
    },
    SANDBOX_DEFAULTS,
  );
  if (o.limiter === 'open') {
    config.defender.ratePerMinute = 10_000_000;
    config.defender.ratePerHour = 1_000_000_000;
  }
  const runtime = await startRuntime(config, {
    logger: benchLogger(),
    clock: o.clock,
    simulator: o.sim as DefenderSimulator,
    maintenanceMs: 60_000,
  });
  return {
    runtime,
    dataDir,
    async close() {
      await runtime.stop();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A channel thread of its own per request: the card lands in `TEAM;messageid=<root>`. */
export const threadOf = (rootId: string) => ({
  where: channel(rootId),
  conversationId: `${TEAM_ID};messageid=${rootId}`,
});

export function sayOffboard(botUrl: string, connector: BenchConnector, rootId: string, device: string) {
  const { where } = threadOf(rootId);
  return postActivity(
    botUrl,
    messageActivity({ serviceUrl: connector.url, from: user('alex'), text: `offboard ${device}`, where }),
  );
}

export function click(
  botUrl: string,
  connector: BenchConnector,
  who: string,
  verb: string,
  data: Record<string, unknown>,
  rootId: string,
  cardId: string,
) {
  const { where } = threadOf(rootId);
  return postActivity(
    botUrl,
    invokeActivity({ serviceUrl: connector.url, from: user(who), verb, data, where, replyToId: cardId }),
  );
}

/** `offboard <device>` in a thread of its own, then the requester's "Request approval"
 * click; resolves once the card shows the submitted state. Not measured: set-up. */
export async function openAndSubmit(
  botUrl: string,
  connector: BenchConnector,
  rootId: string,
  device: string,
): Promise<{ requestId: string; cardId: string }> {
  const card = await expectAfter(connector, `conv:${threadOf(rootId).conversationId}`, () =>
    sayOffboard(botUrl, connector, rootId, device),
  );
  if (!card.requestId) throw new Error(`no approval card for ${device}: ${card.text?.slice(0, 200)}`);
  const requestId = card.requestId;
  await expectAfter(connector, `update:${card.id}`, () =>
    click(botUrl, connector, 'alex', VERBS.submit, { requestId, comment: 'Laptop stolen' }, rootId, card.id),
  );
  return { requestId, cardId: card.id };
}

/** Registers the wait before sending, so a fast answer is never missed. */
export async function expectAfter(
  connector: BenchConnector,
  key: string,
  send: () => Promise<{ status: number; body: unknown }>,
): Promise<Arrival> {
  const arrival = connector.expect(key, 15_000);
  arrival.catch(() => undefined); // a failed send below must not leave an unhandled rejection
  const res = await send();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  return arrival;
}
