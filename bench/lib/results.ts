import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/**
 * Machine-readable results: each part writes bench/results/<part>.json when it runs,
 * and run-all.ts gathers them into bench/results/latest.json. bench/RESULTS.md is the
 * record kept in git; these files are per run and per machine (git-ignored).
 */
export const RESULTS_DIR = join(__dirname, '..', 'results');

export interface MachineInfo {
  date: string;
  cpuModel: string;
  nproc: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1, 5 and 15 minute load averages when this was read: other work on the machine skews every figure. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1]!.trim();
  } catch {
    /* not Linux: os.cpus() it is */
  }
  return {
    date: new Date().toISOString(),
    cpuModel,
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function writePart(part: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${part}.json`);
  writeFileSync(file, JSON.stringify({ part, machine: machineInfo(), data }, null, 2) + '\n');
  return file;
}

export function readPart(part: string): unknown {
  return JSON.parse(readFileSync(join(RESULTS_DIR, `${part}.json`), 'utf8')) as unknown;
}

/** Runs a part's main when its file is executed directly (`npx tsx bench/turns.ts`). */
export function runMain(mod: NodeModule, part: string, main: () => Promise<unknown>): void {
  if (require.main !== mod) return;
  main()
    .then((data) => {
      console.log(`\n${part}: results written to ${writePart(part, data)}`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(`${part} failed:`, e);
      process.exit(1);
    });
}
