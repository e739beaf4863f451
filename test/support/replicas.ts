/**
 * Several real bot processes (`index.ts`, sandbox mode) on one PostgreSQL database, as
 * replicas behind a load balancer: one Defender simulator (behind an HTTP gate that can
 * hold chosen calls), one fake Bot Connector, and activities sent round-robin, each to
 * the next replica. Each suite starts its own PostgreSQL server (postgres-server.ts).
 */
import { SANDBOX_TOKEN } from '../../sandbox/runtime';
import {
  startDefenderSimulator,
  type DefenderSimulator,
  type SimulatorOptions,
} from '../../sandbox/defender';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { startHttpGate, type HttpGate } from '../resilience/http-gate';
import type { Teams } from '../resilience/teams-driver';
import { startPostgres, type PostgresServer } from './postgres-server';

export interface Replicas {
  pg: PostgresServer;
  databaseUrl: string;
  sim: DefenderSimulator;
  gate: HttpGate;
  connector: FakeConnector;
  bots: ChildBot[];
  /** Every replica's output, for failure messages. */
  logs: string[];
  /** Teams sending each activity to the next replica in turn. */
  teams: Teams;
  /** Teams sending every activity to replica `i`. */
  teamsAt(i: number): Teams;
  /** SIGKILL of replica `i`; round-robin skips it from then on. */
  kill(i: number): Promise<void>;
  /** Starts one more replica (appended to `bots`). */
  add(env?: Record<string, string>): Promise<ChildBot>;
  close(): Promise<void>;
}

export const LEASE_SECONDS = 5;

export async function startReplicas(o: {
  count: number;
  env?: Record<string, string>;
  sim?: SimulatorOptions;
}): Promise<Replicas> {
  const pg = await startPostgres();
  const databaseUrl = await pg.createDatabase();
  const sim = await startDefenderSimulator({
    actionSeconds: 2,
    limits: { perMinute: 100_000, perHour: 1_000_000 },
    ...o.sim,
    acceptToken: (token) => token === SANDBOX_TOKEN,
  });
  const gate = await startHttpGate(sim.url);
  const connector = await startFakeConnector();
  const logs: string[] = [];
  const bots: ChildBot[] = [];
  const env = {
    PLAYGROUND: 'false',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    SIMULATOR_URL: gate.url,
    LEASE_SECONDS: String(LEASE_SECONDS),
    TRACKING_FIRST_CHECK_SECONDS: '1',
    TRACKING_MAX_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'info',
    MDE_RATE_PER_MINUTE: '6000',
    MDE_RATE_PER_HOUR: '100000',
    ...o.env,
  };
  const add = async (extra: Record<string, string> = {}) => {
    const bot = await startChildBot({ logs, env: { ...env, ...extra } });
    bots.push(bot);
    return bot;
  };
  // One at a time: each runs the migrations check and compiles with tsx on 2 shared cores.
  try {
    for (let i = 0; i < o.count; i++) await add();
  } catch (e) {
    await killAllChildBots();
    await Promise.all([gate.close(), connector.close(), sim.close()]);
    await pg.stop();
    throw e;
  }
  let next = 0;
  const dead = new Set<ChildBot>();
  const alive = () => bots.filter((b) => !dead.has(b));
  const r: Replicas = {
    pg,
    databaseUrl,
    sim,
    gate,
    connector,
    bots,
    logs,
    teams: {
      connector,
      serviceUrl: connector.url,
      botUrl: () => {
        const live = alive();
        return live[next++ % live.length]!.url;
      },
    },
    teamsAt: (i) => ({ connector, serviceUrl: connector.url, botUrl: () => bots[i]!.url }),
    async kill(i) {
      dead.add(bots[i]!);
      await bots[i]!.kill();
    },
    add,
    async close() {
      await killAllChildBots();
      await gate.close();
      await connector.close();
      await sim.close();
      await pg.stop();
    },
  };
  return r;
}
