import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ACTIVE_STATES, FINISHED_STATES, type OffboardRequest } from '../bot/request/model';
import { openSqliteStore } from '../bot/store';
import { startDefenderSimulator } from '../sandbox/defender';
import { startBenchBot } from './lib/bot';
import { benchFleet } from './lib/fleet';
import { runMain } from './lib/results';
import { buildRequest, seedStore } from './lib/seed';
import { fmtSummary, round, summarize } from './lib/stats';

/**
 * Part 4b: the SQLite store at 1,000, 10,000 and 100,000 requests (DATA_DIR on the same
 * disk as the rest, WAL, synchronous=FULL as configured): each operation the bot uses,
 * timed one call at a time through the RequestStore interface, so the growth with
 * history shows. Then the maintenance sweep the runtime runs every minute and at
 * start-up (active requests, and finished ones updated in the last week).
 */
const SIZES = [1_000, 10_000, 100_000];

export async function runStore() {
  const sizes = [];
  for (const n of SIZES) sizes.push(await storeAt(n));
  // The 10,000 figures stay where run-all's summary and RESULTS.md read them.
  const ten = sizes.find((x) => x.requests === 10_000)!;
  return { ...ten, sizes };
}

async function storeAt(SEEDED: number) {
  const dir = mkdtempSync(join(tmpdir(), 'offboarder-bench-store-'));
  try {
    const seed = await seedStore(dir, SEEDED);
    console.log(`\n${SEEDED} requests seeded in ${seed.seconds} s`);
    // The sweep first, while every seeded request is delivered: after the writes below
    // some would need a card update, and the sweep would measure failing deliveries.
    const sweep = await timeSweep(dir, SEEDED);
    console.log(`${'maintenance sweep (whole)'.padEnd(34)} ${fmtSummary(sweep)}`);
    const store = openSqliteStore({ dataDir: dir });
    const ids = (store.db.prepare('SELECT id FROM requests').all() as Array<{ id: string }>).map((r) => r.id);
    const machines = benchFleet(SEEDED).map((m) => m.id);
    const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length]!;
    const ops: Record<string, ReturnType<typeof summarize>> = {};
    const time = async (name: string, n: number, fn: (i: number) => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await fn(i);
        samples.push(performance.now() - t);
      }
      ops[name] = summarize(samples);
      console.log(`${name.padEnd(34)} ${fmtSummary(ops[name]!)}`);
    };
    try {
      await time('get', 2000, (i) => store.get(pick(ids, i)));
      // A compare-and-set write as a card click makes it: read, add one history entry, write.
      await time('update (CAS, +1 audit row)', 300, async (i) => {
        const r = (await store.get(pick(ids, i)))!;
        const entry = { at: new Date().toISOString(), event: 'status_changed' as const, actor: 'system' };
        await store.update({ ...r, updatedAt: entry.at, history: [...r.history, entry] });
      });
      const now = Date.now();
      await time('create', 300, (i) =>
        store.create(buildRequest(SEEDED + i, SEEDED, benchFleet(1, now)[0]!, now) as OffboardRequest),
      );
      await time('listActiveForMachine', 2000, (i) => store.listActiveForMachine(pick(machines, i)));
      await time(`listByState(active) → ${SEEDED / 50} rows`, SEEDED >= 100_000 ? 50 : 200, () =>
        store.listByState(ACTIVE_STATES),
      );
      await time(`listByState(finished) → ~${(SEEDED * 0.98) / 1000}k rows`, SEEDED >= 100_000 ? 3 : 10, () =>
        store.listByState(FINISHED_STATES),
      );
    } finally {
      await store.close();
    }
    const dbMiB = round(statSync(join(dir, 'offboarder.db')).size / 2 ** 20, 1);
    return { requests: SEEDED, dbMiB, operationsMs: ops, maintenanceSweepMs: sweep };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The runtime's own sweep on that folder (what every maintenance period costs the event loop). */
async function timeSweep(dataDir: string, SEEDED: number) {
  const sim = await startDefenderSimulator();
  const started = performance.now();
  const bot = await startBenchBot({ sim, limiter: 'open', dataDir });
  const startMs = performance.now() - started;
  const samples: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await bot.runtime.offboarding.sweep();
      samples.push(performance.now() - t);
    }
  } finally {
    await bot.close();
    await sim.close();
  }
  console.log(`runtime start on ${SEEDED} requests (includes one sweep): ${round(startMs)} ms`);
  return summarize(samples);
}

runMain(module, 'store', runStore);
