import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineInfo, readPart, RESULTS_DIR } from './lib/results';
import { ROOT } from './lib/spawn';
import { round } from './lib/stats';
import { summaryLines, type Parts } from './lib/summary';

/**
 * `npm run bench`: every part in sequence, each in a process of its own (a fresh heap,
 * no timers or JIT state carried over, fake timers never near the others), then the
 * headline figures and bench/results/latest.json. Benchmarks report; they never fail
 * on speed. A part that crashes or overruns is reported and the run goes on.
 */
const PARTS: Array<{ part: keyof Parts; file: string }> = [
  { part: 'turns', file: 'turns.ts' },
  { part: 'invoke', file: 'invoke.ts' },
  { part: 'burst', file: 'burst.ts' },
  { part: 'approval', file: 'approval.ts' },
  { part: 'rate-limit', file: 'rate-limit.ts' },
  { part: 'store', file: 'store.ts' },
  { part: 'footprint', file: 'footprint.ts' },
];
/** Per part; the whole run takes about 8 minutes on 2 cores (the 100,000-request
 * store is seeded twice: store.ts and footprint.ts each run alone too). */
const PART_TIMEOUT_MS = 600_000;

function main(): void {
  const started = performance.now();
  const machine = machineInfo();
  if (machine.loadAverage[0]! > 0.5 * machine.nproc)
    console.warn(
      `note: load average ${machine.loadAverage.join(' ')} on ${machine.nproc} CPUs: figures will be skewed`,
    );
  const runs = [];
  const parts: Parts = {};
  for (const { part, file } of PARTS) {
    console.log(`\n=== ${part} (npx tsx bench/${file})`);
    const t0 = performance.now();
    const res = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join('bench', file)], {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: PART_TIMEOUT_MS,
    });
    const ok = res.status === 0;
    runs.push({
      part,
      ok,
      seconds: round((performance.now() - t0) / 1000, 1),
      loadAverageAfter: os.loadavg().map((l) => round(l)),
      ...(ok ? {} : { failure: res.error?.message ?? `exit ${res.status ?? res.signal}` }),
    });
    if (ok) Object.assign(parts, { [part]: (readPart(part) as { data: unknown }).data });
  }
  const totalSeconds = round((performance.now() - started) / 1000, 1);
  const latest = {
    machine,
    command: 'npx tsx bench/run-all.ts',
    totalSeconds,
    runs,
    parts,
  };
  const file = join(RESULTS_DIR, 'latest.json');
  writeFileSync(file, JSON.stringify(latest, null, 2) + '\n');
  console.log(`\n=== summary (${machine.cpuModel}, ${machine.nproc} CPUs, node ${machine.node})`);
  for (const line of summaryLines(parts)) console.log(`- ${line}`);
  for (const r of runs.filter((x) => !x.ok)) console.log(`- ${r.part} did not complete: ${r.failure}`);
  console.log(`\nall parts: ${totalSeconds} s; results in ${file}`);
}

main();
