/**
 * `offboard <name>` turns (request in → approval card at the Bot Connector) through real
 * bot processes (`index.ts`, as in production): one on SQLite, one on PostgreSQL, and two
 * on one PostgreSQL database with turns sent round-robin. Closed loop, concurrency 1 and
 * 10, after warm-up; the Defender limiter opened as far as the config allows. Each
 * configuration gets fresh processes and a fresh database. Run: `npx tsx bench/replicas.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllChildBots, startChildBot, type ChildBot } from '../test/fakes/child-bot';
import { startPostgres } from '../test/support/postgres-server';
import { BENCH_ENV, OPEN_LIMITS, sayOffboard, threadOf } from './lib/bot';
import { startBenchConnector } from './lib/connector';
import { benchName } from './lib/fleet';
import { closedLoop } from './lib/load';
import { startSimProcess } from './lib/sim-process';
import { fmtSummary, hiResNow } from './lib/stats';

const ROUNDS = [
  { concurrency: 1, turns: 200 },
  { concurrency: 10, turns: 400 },
];
const WARMUP = 50;

async function main() {
  const fleetSize = 3 * (WARMUP + ROUNDS.reduce((a, r) => a + r.turns, 0)) + 10;
  const sim = await startSimProcess({ fleetSize, limits: OPEN_LIMITS });
  const connector = await startBenchConnector();
  const pg = await startPostgres();
  let device = 0;
  const rows: string[] = [];
  try {
    for (const setup of [
      { name: 'SQLite, 1 process', replicas: 1, postgres: false },
      { name: 'PostgreSQL, 1 process', replicas: 1, postgres: true },
      { name: 'PostgreSQL, 2 processes', replicas: 2, postgres: true },
    ]) {
      const dataDir = mkdtempSync(join(tmpdir(), 'offboarder-bench-'));
      const databaseUrl = setup.postgres ? await pg.createDatabase() : undefined;
      const bots: ChildBot[] = [];
      for (let i = 0; i < setup.replicas; i++)
        bots.push(
          await startChildBot({
            env: {
              ...BENCH_ENV,
              SIMULATOR_URL: sim.url,
              DATA_DIR: dataDir,
              ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
            },
          }),
        );
      let next = 0;
      const turn = async () => {
        const n = device++;
        const rootId = `bench-replicas-${n}`;
        const card = connector.expect(`conv:${threadOf(rootId).conversationId}`, 30_000);
        const t0 = hiResNow();
        const res = await sayOffboard(bots[next++ % bots.length]!.url, connector, rootId, benchName(n));
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        await card;
        return hiResNow() - t0;
      };
      await closedLoop({ total: WARMUP, concurrency: 5, deadlineMs: 60_000, turn });
      for (const { concurrency, turns } of ROUNDS) {
        const r = await closedLoop({ total: turns, concurrency, deadlineMs: 120_000, turn });
        const row = `${setup.name}, c=${concurrency}: ${fmtSummary(r.latencyMs)}, ${r.turnsPerSecond} turns/s, errors ${r.errors}`;
        console.log(row);
        rows.push(row);
      }
      await Promise.all(bots.map((b) => b.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await killAllChildBots();
    await pg.stop();
    await connector.close();
    await sim.close();
  }
  console.log(rows.join('\n'));
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
