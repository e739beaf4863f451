import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/log';
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
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { FAST_ENV } from '../fakes/harness';
import { startHttpGate, type HttpGate } from './http-gate';
import * as teams from './teams-driver';

/**
 * The bot in process (like test/fakes/harness.ts), with a gate on each side: between the
 * bot and the Defender simulator (sandbox mode's SIMULATOR_URL points at it) and between
 * the bot and the fake Bot Connector (activities carry the gate as serviceUrl). Faults
 * come from the simulator's own switches, the connector's failNext, or gate rules that
 * pick out one call. Every log line is kept.
 */
export interface Rig {
  sim: DefenderSimulator;
  defenderGate: HttpGate;
  connector: FakeConnector;
  teamsGate: HttpGate;
  runtime: Runtime;
  teams: teams.Teams;
  logs: string[];
  dataDir: string;
  close(): Promise<void>;
}

export async function startRig(
  o: { env?: Record<string, string>; sim?: SimulatorOptions } = {},
): Promise<Rig> {
  const sim = await startDefenderSimulator({
    actionSeconds: 1,
    acceptToken: (token) => token === SANDBOX_TOKEN,
    ...o.sim,
  });
  const defenderGate = await startHttpGate(sim.url);
  const connector = await startFakeConnector();
  const teamsGate = await startHttpGate(connector.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'offboarder-rig-'));
  const logs: string[] = [];
  const logger = createLogger({
    level: 'trace',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  });
  const runtime = await startRuntime(
    loadConfig(
      {
        ...FAST_ENV,
        LOG_LEVEL: 'trace',
        DATA_DIR: dataDir,
        SIMULATOR_URL: defenderGate.url,
        ...o.env,
      },
      SANDBOX_DEFAULTS,
    ),
    { logger, maintenanceMs: 500 },
  );
  return {
    sim,
    defenderGate,
    connector,
    teamsGate,
    runtime,
    teams: { connector, serviceUrl: teamsGate.url, botUrl: () => runtime.botUrl },
    logs,
    dataDir,
    async close() {
      await runtime.stop();
      await teamsGate.close();
      await connector.close();
      await defenderGate.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
