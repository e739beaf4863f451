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
 * (embedded simulator, Playground off, ports 0): `node --import tsx index.ts` as `npm start` runs it,
 * and `node index.js` on a build (tsconfig.build.json, compiled into a temporary folder
 * and run with NODE_PATH pointing at node_modules). Each is started STARTS times on an
 * empty DATA_DIR and on ones holding 1,000 / 10,000 / 100,000 requests (the build; tsx
 * on 10,000 only); memory is read IDLE_MS after ready. Then `npm start` as a person runs
 * it, Playground on: spawn → the printed Playground URL answering 200.
 */
const STARTS = 5;
const SIZES = [1_000, 10_000, 100_000];
const IDLE_MS = 3000;

interface Variant {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  until?: 'readyz' | 'playground';
}

export async function runFootprint() {
  const empty = mkdtempSync(join(tmpdir(), 'offboarder-bench-empty-'));
  const build = mkdtempSync(join(tmpdir(), 'offboarder-bench-build-'));
  const seededDirs: Array<[number, string]> = SIZES.map((n) => [
    n,
    mkdtempSync(join(tmpdir(), `offboarder-bench-${n / 1000}k-`)),
  ]);
  try {
    const seeds = [];
    for (const [n, dir] of seededDirs) {
      const seed = await seedStore(dir, n);
      seeds.push({ requests: n, ...seed });
      console.log(
        `seeded ${n} requests (${round(seed.bytes / 2 ** 20, 1)} MiB of JSON) in ${seed.seconds} s`,
      );
    }
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
    const tsxVariant: Variant = {
      name: 'node --import tsx index.ts',
      command: process.execPath,
      args: ['--import', 'tsx', 'index.ts'],
      env: { TMPDIR: join(ROOT, '.tmp') },
    };
    const nodeVariant: Variant = {
      name: 'node (build)',
      command: process.execPath,
      args: [join(build, 'index.js')],
      env: { NODE_PATH: join(ROOT, 'node_modules') },
    };
    const dirOf = (n: number) => seededDirs.find(([k]) => k === n)![1];
    const runs: Array<[Variant, string, string]> = [
      [tsxVariant, 'empty', empty],
      [tsxVariant, '10000 requests', dirOf(10_000)],
      [nodeVariant, 'empty', empty],
      ...SIZES.map((n): [Variant, string, string] => [nodeVariant, `${n} requests`, dirOf(n)]),
    ];
    const results = [];
    for (const [v, store, dataDir] of runs) {
      const r = await measure(v, dataDir);
      results.push({ variant: v.name, store, ...r });
      const mem = r.memory.map((m) => `${m.rssMiB} MiB (${m.command.split(' ').slice(0, 3).join(' ')})`);
      console.log(
        `${v.name}, ${store}: ready in ${r.readyMs.join(' / ')} ms; RSS after ${IDLE_MS / 1000} s idle: ${mem.join(' + ')}`,
      );
    }
    const npmStart: Variant = {
      name: 'npm start (Playground)',
      command: 'npm',
      args: ['start', '--silent'],
      env: { PLAYGROUND_PORT: '0', PLAYGROUND: 'true' },
      until: 'playground',
    };
    const playground = await measure(npmStart, empty, 3, false);
    console.log(`npm start, Playground on: a working Playground URL in ${playground.readyMs.join(' / ')} ms`);
    return {
      starts: STARTS,
      idleMs: IDLE_MS,
      seeded: seeds.find((x) => x.requests === 10_000),
      seeds,
      build: buildNote,
      results,
      playground: { command: 'npm start', readyMs: playground.readyMs },
    };
  } finally {
    for (const dir of [empty, build, ...seededDirs.map(([, d]) => d)])
      rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(v: Variant, dataDir: string, starts = STARTS, readMemory = true) {
  const readyMs: number[] = [];
  let memory: ProcessMemory[] = [];
  for (let i = 0; i < starts; i++) {
    const bot = await spawnBot(
      v.command,
      v.args,
      {
        PLAYGROUND: 'false',
        PORT: '0',
        SIMULATOR_PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        ...v.env,
      },
      60_000,
      v.until,
    );
    try {
      readyMs.push(Math.round(bot.readyMs));
      if (readMemory && i === starts - 1) {
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
