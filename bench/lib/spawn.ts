import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { realSleep } from './stats';

/**
 * Starts the bot as a separate process, the way it is run (`node --import tsx index.ts` or `node
 * dist/index.js`), and measures it from outside: time to the first 200 on /readyz, and
 * resident memory from /proc. Only processes started here are ever signalled.
 */
export const ROOT = join(__dirname, '..', '..');

export interface ProcessMemory {
  pid: number;
  command: string;
  rssMiB: number;
}

export interface Spawned {
  pid: number;
  url: string;
  readyMs: number;
  /** The spawned process and every descendant (tsx runs the bot in a child node process). */
  memory(): ProcessMemory[];
  stop(): Promise<void>;
}

/** Ready when /readyz answers 200 on the bot's url, or (`playground`) when the URL
 * `npm start` prints for the Playground answers 200. */
export async function spawnBot(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
  until: 'readyz' | 'playground' = 'readyz',
): Promise<Spawned> {
  const t0 = performance.now();
  // A clean environment: nothing from the caller's shell (no MDE_* or BOT_*) leaks in.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let out = '';
  let exited: string | undefined;
  child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.on('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
  // Our processes, with their command lines: a pid is only ever signalled while it still
  // runs the same command (pids are reused once a process has gone).
  const known = new Map<number, string>();
  const learn = () => tree(pid).forEach((p) => known.set(p, cmdline(p)));
  const stop = async () => {
    learn();
    if (!exited) child.kill('SIGTERM');
    for (let i = 0; i < 200 && !exited; i++) await realSleep(25);
    await realSleep(50);
    for (const [p, cmd] of known) if (cmd && cmdline(p) === cmd) signal(p, 'SIGKILL'); // still there after 5 s
  };
  try {
    let url: string | undefined;
    while (performance.now() - t0 < timeoutMs && !exited) {
      url ??= (until === 'readyz' ? /listening on (http:\/\/127\.0\.0\.1:\d+)/ : PLAYGROUND_URL).exec(
        out,
      )?.[1];
      if (url && (await ready(until === 'readyz' ? `${url}/readyz` : url))) {
        const readyMs = performance.now() - t0;
        learn();
        return { pid, url, readyMs, memory: () => tree(pid).map(memoryOf), stop };
      }
      await realSleep(5);
    }
    throw new Error(
      `${command} ${args.join(' ')}: not ready (${exited ?? 'timed out'}):\n${out.slice(-2000)}`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
}

const PLAYGROUND_URL = /Agents Playground\): (http:\/\/127\.0\.0\.1:\d+)/;

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

/** `root` and its descendants, from each process's parent id in /proc/<pid>/stat. */
function tree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* the process ended meanwhile */
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++)
    for (const [p, parent] of parentOf) if (parent === found[i] && !found.includes(p)) found.push(p);
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function memoryOf(pid: number): ProcessMemory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const command = cmdline(pid)
      .replace(ROOT + '/', '')
      .slice(0, 120);
    return { pid, command, rssMiB: Math.round((rssKiB / 1024) * 10) / 10 };
  } catch {
    return { pid, command: '(gone)', rssMiB: NaN };
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
