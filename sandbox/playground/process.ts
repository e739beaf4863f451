/**
 * Starting and stopping the Playground's process. Facts from docs/playground.md
 * and from reading its CLI (0.2.28): it prints `Listening on <port>` on stdout once its
 * HTTP server is up; when the port is busy it warns and silently takes a random one; a
 * bad mock-data file is reported only in its log file, after which it exits with code 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Log {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}

export interface LaunchOptions {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  logger: Log;
  timeoutMs: number;
}

const PRELOAD = join(__dirname, 'preload.js');

export function launch(o: LaunchOptions): { child: ChildProcess; listening: Promise<number> } {
  // The CLI's entry file (a dev dependency, so resolved only when used), run with our own
  // node: no shell or npx wrapper sits between stop() and the Playground.
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, ['--require', PRELOAD, cli, ...o.args], {
    cwd: o.cwd,
    env: o.env,
    // Own process group: stop() signals the group, so nothing the CLI starts survives it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { stdout, stderr } = child;
  const listening = new Promise<number>((resolve, reject) => {
    if (!stdout || !stderr) return reject(new Error('the Playground was started without output pipes'));
    const timer = setTimeout(
      () => reject(new Error(`the Playground did not start listening within ${o.timeoutMs / 1000} s`)),
      o.timeoutMs,
    );
    timer.unref();
    child.once('error', (e) => reject(new Error(`could not run the Playground: ${e.message}`)));
    child.once('exit', (code, signal) => reject(exitError(code, signal, o.logFile)));
    createInterface({ input: stdout }).on('line', (line) => {
      const m = /^Listening on (\d+)$/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else if (line.trim()) o.logger.info(`playground: ${line}`);
    });
    createInterface({ input: stderr }).on('line', (line) => {
      if (line.trim()) o.logger.warn(`playground: ${line}`);
    });
  });
  // Exit after "listening" is still reported by waitUntilReady; avoid an unhandled rejection.
  listening.catch(() => undefined);
  return { child, listening };
}

/** The Playground reports config errors only in its log file: quote its error lines. */
export function exitError(code: number | null, signal: string | null, logFile: string): Error {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const lines = existsSync(logFile)
    ? readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('error '))
        .map((l) => l.slice('error '.length))
    : [];
  const detail = lines.length ? `: ${lines.join(' ')}` : ` (see ${logFile})`;
  return new Error(`the Playground ${how}${detail}`);
}

/**
 * Ready = its routes are mounted (they are mounted right after the port opens, and a bad
 * mock-data file stops it there). Not `/_internal/v1/config`: that one first waits up to
 * 15 s for the bot's endpoint to answer.
 */
export async function waitUntilReady(child: ChildProcess, url: string, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw exitError(child.exitCode, child.signalCode, logFile);
    try {
      const res = await fetch(`${url}/_debug/ping`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Playground did not answer on ${url} within ${timeoutMs / 1000} s`);
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGTERM to the whole process group, SIGKILL after `graceMs`, then SIGKILL to stragglers. */
export async function killTree(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (!exited(child)) {
    signalGroup(pid, 'SIGTERM');
    if (!(await waitExit(child, graceMs))) {
      signalGroup(pid, 'SIGKILL');
      await waitExit(child, 2000);
    }
  }
  // The leader may be gone while something it started lives on in its group.
  signalGroup(pid, 'SIGKILL');
}
