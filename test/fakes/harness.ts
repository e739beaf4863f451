import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../bot/config';
import { createLogger, type Logger } from '../../bot/log';
import { startGraphStandIn, type GraphStandIn, type GraphStandInOptions } from '../../sandbox/graph';
import {
  SANDBOX_DEFAULTS,
  SANDBOX_TOKEN,
  startSandboxRuntime as startRuntime,
  type SandboxRuntime as Runtime,
} from '../../sandbox/runtime';
import {
  startDefenderSimulator,
  type DefenderSimulator,
  type SimulatorOptions,
} from '../../sandbox/defender';
import { startFakeConnector, type FakeConnector, type SentActivity } from './connector';
import { invokeActivity, messageActivity, postActivity, user, type Where } from './teams';
import { VERBS } from '../../cards/verbs';

/**
 * The whole bot over real HTTP, as Teams and Defender see it: the bot's restify server
 * on port 0, the Defender simulator, and a fake Bot Connector. The bot can be stopped
 * and started again on the same data folder and simulator (restart tests). Time runs
 * for real, shortened by settings; `advance` moves the bot's clock (expiry).
 */
export interface Harness {
  sim: DefenderSimulator;
  /** The Graph stand-in the bot asks about group membership (faults: `graph.setFaults`). */
  graph: GraphStandIn;
  connector: FakeConnector;
  runtime: Runtime;
  dataDir: string;
  logs: string[];
  advance(ms: number): void;
  restart(env?: Record<string, string>): Promise<void>;
  say(who: string, text: string, where: Where, tenantId?: string): Promise<{ status: number; body: unknown }>;
  click(
    who: string,
    verb: string,
    data: Record<string, unknown>,
    where: Where,
    options?: { replyToId?: string; tenantId?: string },
  ): Promise<{ status: number; body: unknown }>;
  /** The card message the bot posted for a request (first post). */
  cardFor(requestId: string): SentActivity;
  latestCard(requestId: string): Record<string, unknown>;
  offboardPosts(machineId?: string): number;
  close(): Promise<void>;
}

export const FAST_ENV = {
  PLAYGROUND: 'false',
  PORT: '0',
  LOG_LEVEL: 'debug',
  TRACKING_FIRST_CHECK_SECONDS: '1',
  TRACKING_MAX_INTERVAL_SECONDS: '1',
};

export async function startHarness(
  o: {
    env?: Record<string, string>;
    sim?: SimulatorOptions;
    /** Period of the maintenance sweep (expiry, redelivery). Default 500 ms. */
    maintenanceMs?: number;
    /** Options of the Graph stand-in (directory, faults); one is always started. */
    graph?: GraphStandInOptions;
  } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'offboarder-e2e-'));
  const sim = await startDefenderSimulator({ actionSeconds: 1, ...o.sim });
  const connector = await startFakeConnector();
  const graph = await startGraphStandIn({ acceptToken: (t) => t === SANDBOX_TOKEN, ...o.graph });
  const logs: string[] = [];
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const logger: Logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  });
  const boot = (env: Record<string, string> = {}) =>
    startRuntime(loadConfig({ ...FAST_ENV, DATA_DIR: dataDir, ...o.env, ...env }, SANDBOX_DEFAULTS), {
      logger,
      clock,
      simulator: sim,
      graph,
      maintenanceMs: o.maintenanceMs ?? 500,
    });
  const h: Harness = {
    sim,
    graph,
    connector,
    runtime: await boot(),
    dataDir,
    logs,
    advance: (ms) => {
      offset += ms;
    },
    async restart(env) {
      await h.runtime.stop();
      h.runtime = await boot(env);
    },
    say: (who, text, where, tenantId) =>
      postActivity(
        h.runtime.botUrl,
        messageActivity({ serviceUrl: connector.url, from: user(who), text, where, tenantId }),
      ),
    click: (who, verb, data, where, options = {}) =>
      postActivity(
        h.runtime.botUrl,
        invokeActivity({
          serviceUrl: connector.url,
          from: user(who),
          verb,
          data,
          where,
          replyToId: options.replyToId,
          tenantId: options.tenantId,
        }),
      ),
    cardFor(requestId) {
      const hit = connector.sent.find((a) => a.op !== 'update' && cardRequestId(a) === requestId);
      if (!hit) throw new Error(`no card for ${requestId}`);
      return hit;
    },
    latestCard(requestId) {
      const first = h.cardFor(requestId);
      return cardContent(connector.latest(first.id)!)!;
    },
    offboardPosts: (machineId) =>
      sim.calls.filter(
        (c) =>
          c.operation === 'offboard' && c.method === 'POST' && (!machineId || c.path.includes(machineId)),
      ).length,
    async close() {
      await h.runtime.stop();
      await connector.close();
      await sim.close();
      await graph.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

export function cardContent(a: SentActivity): Record<string, unknown> | undefined {
  const att = (
    a.activity.attachments as Array<{ contentType: string; content: Record<string, unknown> }> | undefined
  )?.[0];
  return att?.contentType === 'application/vnd.microsoft.card.adaptive' ? att.content : undefined;
}

/** The request id a card's buttons carry (the only thing card data holds). */
export function cardRequestId(a: SentActivity): string | undefined {
  const m = /"requestId":"(OFB-[0-9A-Z]{8})"/.exec(JSON.stringify(cardContent(a) ?? {}));
  return m?.[1];
}

/** Waits for the first card the bot posts after `since` entries, returns its request id. */
export async function waitForNewCard(
  h: Harness,
  since: number,
): Promise<{ requestId: string; card: SentActivity }> {
  const card = await h.connector.waitFor(
    (a) => h.connector.sent.indexOf(a) >= since && a.op !== 'update' && Boolean(cardRequestId(a)),
  );
  return { requestId: cardRequestId(card)!, card };
}

export function cardText(card: Record<string, unknown>): string {
  return JSON.stringify(card);
}

export const verbs = VERBS;
