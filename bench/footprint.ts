import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './lib/results';
import { seedStore } from './lib/seed';
import { ROOT, spawnBot, type ProcessMemory } from './lib/spawn';
import { realSleep, round } from './lib/stats';

/**
 * Part 4a: start-up time and resident memory of the bot as a process, in sandbox mode
 * (embedded simulator, Playground off, ports 0): `tsx index.ts` as `npm start` runs it,
 * and `node index.js` on a build (tsconfig.build.json, compiled into a temporary folder
 * and run with NODE_PATH pointing at node_modules). Each is started STARTS times on an
 * empty DATA_DIR and on one holding SEEDED requests; memory is read IDLE_MS after ready.
 */
const STARTS = 3;
const SEEDED = 10_000;
const IDLE_MS = 3000;

interface Variant {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export async function runFootprint() {
  const empty = mkdtempSync(join(tmpdir(), 'offboarder-bench-empty-'));
  const seeded = mkdtempSync(join(tmpdir(), 'offboarder-bench-10k-'));
  const build = mkdtempSync(join(tmpdir(), 'offboarder-bench-build-'));
  try {
    const seed = await seedStore(seeded, SEEDED);
    console.log(
      `seeded ${SEEDED} requests (${round(seed.bytes / 2 ** 20, 1)} MiB of JSON) in ${seed.seconds} s`,
    );
    const tsc = spawnSync(
      join(ROOT, 'node_modules/.bin/tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', build],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    // tsc emits even with type errors (noEmitOnError is off); note them, measure anyway.
    const buildNote = tsc.status === 0 ? 'ok' : `tsc exited ${tsc.status}: ${tsc.stdout.slice(0, 300)}`;
    const variants: Variant[] = [
      { name: 'tsx index.ts', command: join(ROOT, 'node_modules/.bin/tsx'), args: ['index.ts'] },
      {
        name: 'node (build)',
        command: process.execPath,
        args: [join(build, 'index.js')],
        env: { NODE_PATH: join(ROOT, 'node_modules') },
      },
    ];
    const results = [];
    for (const v of variants) {
      for (const [store, dataDir] of [
        ['empty', empty],
        [`${SEEDED} requests`, seeded],
      ] as const) {
        const r = await measure(v, dataDir);
        results.push({ variant: v.name, store, ...r });
        const mem = r.memory.map((m) => `${m.rssMiB} MiB (${m.command.split(' ').slice(0, 3).join(' ')})`);
        console.log(
          `${v.name}, ${store}: ready in ${r.readyMs.join(' / ')} ms; RSS after ${IDLE_MS / 1000} s idle: ${mem.join(' + ')}`,
        );
      }
    }
    return {
      starts: STARTS,
      idleMs: IDLE_MS,
      seeded: { requests: SEEDED, ...seed },
      build: buildNote,
      results,
    };
  } finally {
    for (const dir of [empty, seeded, build]) rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(v: Variant, dataDir: string) {
  const readyMs: number[] = [];
  let memory: ProcessMemory[] = [];
  for (let i = 0; i < STARTS; i++) {
    const bot = await spawnBot(v.command, v.args, {
      PLAYGROUND: 'false',
      PORT: '0',
      SIMULATOR_PORT: '0',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      ...v.env,
    });
    try {
      readyMs.push(Math.round(bot.readyMs));
      if (i === STARTS - 1) {
        await realSleep(IDLE_MS);
        memory = bot.memory();
      }
    } finally {
      await bot.stop();
    }
  }
  const totalRssMiB = round(
    memory.reduce((a, m) => a + m.rssMiB, 0),
    1,
  );
  // The bot is the last process of the tree (tsx runs it in a child node process).
  return { readyMs, botRssMiB: memory.at(-1)?.rssMiB ?? NaN, totalRssMiB, memory };
}

runMain(module, 'footprint', runFootprint);
