import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The real bot (`index.ts`, as `npm start` runs it) in a child process, for tests that
 * must kill it the hard way: SIGKILL gives no shutdown hook a chance, which is the
 * point of a crash test. The child gets only the environment given here (plus PATH and
 * HOME), so settings of the machine running the tests cannot switch its mode.
 * `node --import tsx` runs TypeScript (CommonJS and the sandbox's dynamic imports) in this one process; the `tsx` CLI would
 * put the bot in a grandchild that a SIGKILL of the CLI leaves running. The child is
 * also its own process group, and the whole group is killed.
 */
export interface ChildBotOptions {
  env: Record<string, string>;
  /** Must answer 200 before start resolves. Default '/readyz'. */
  readyPath?: string;
  /** Default 30 s (tsx compiles the bot on start: about 2 s). */
  readyTimeoutMs?: number;
  /** Every output line of this child is also appended here (logs across restarts). */
  logs?: string[];
  /** Extra node options before the entry point, e.g. `['--require', preload]`. */
  nodeArgs?: string[];
}

export interface ChildBot {
  /** e.g. http://127.0.0.1:41234 (the bot endpoint is `${url}/api/messages`). */
  url: string;
  pid: number;
  /** This child's stdout and stderr lines. */
  lines: string[];
  /** SIGKILL to the whole process group; resolves when the child is gone. */
  kill(): Promise<void>;
  /** SIGTERM (the bot shuts down in order), SIGKILL after `timeoutMs`; resolves to the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

const ROOT = resolve(__dirname, '../..');
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/;
const alive = new Set<ChildProcess>();

export async function startChildBot(o: ChildBotOptions): Promise<ChildBot> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', 'index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, NODE_NO_WARNINGS: '1', ...o.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      alive.delete(child);
      done();
    }),
  );
  const lines: string[] = [];
  let url: string | undefined;
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        o.logs?.push(line);
        url ??= LISTENING.exec(line)?.[1];
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await exited;
  };

  try {
    const ready = await waitReady(() => url, o.readyPath ?? '/readyz', o.readyTimeoutMs ?? 30_000, child);
    return {
      url: ready,
      pid: child.pid!,
      lines,
      kill,
      async stop(timeoutMs = 10_000) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => void kill(), timeoutMs);
        await exited;
        clearTimeout(timer);
        return child.exitCode;
      },
    };
  } catch (e) {
    await kill();
    throw new Error(`${(e as Error).message}\n--- child output ---\n${lines.slice(-30).join('\n')}`);
  }
}

async function waitReady(
  url: () => string | undefined,
  path: string,
  timeoutMs: number,
  child: ChildProcess,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the bot exited before it was ready (code ${child.exitCode}, ${child.signalCode})`);
    if (Date.now() > end) throw new Error(`the bot was not ready within ${timeoutMs} ms`);
    const base = url();
    if (base) {
      const status = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return base;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills every child this module started that is still running (afterAll). */
export async function killAllChildBots(): Promise<void> {
  await Promise.all(
    [...alive].map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null || c.signalCode !== null) return done();
          c.once('exit', () => done());
          try {
            process.kill(-c.pid!, 'SIGKILL');
          } catch {
            done();
          }
        }),
    ),
  );
}

// Last resort if a test run dies without its afterAll: no bot outlives the test process.
process.once('exit', () => {
  for (const c of alive) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
