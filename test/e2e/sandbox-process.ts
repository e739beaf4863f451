import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The whole sandbox as a newcomer runs it (`npm start` = `node --import tsx index.ts`), in
 * a child process with its own ports and data folder. Runs in its own process group so
 * stop() reaches the bot and (through the bot's shutdown) the Playground.
 */
export interface Sandbox {
  playgroundUrl: string;
  botUrl: string;
  /** Everything the sandbox printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Environment of the test runner minus anything that would switch the bot to production mode. */
function sandboxEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(MDE_|BOT_|OFFBOARD_|ALLOW_|PLAYGROUND|SIMULATOR_|TRACKING_|DATA_DIR|PORT$)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

export async function startSandbox(o: {
  dataDir: string;
  timeoutMs?: number;
  /** Overrides, e.g. a slower SIMULATOR_ACTION_SECONDS to see the in-progress card. */
  env?: Record<string, string>;
}): Promise<Sandbox> {
  const [port, simulatorPort, playgroundPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'index.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: sandboxEnv({
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      PLAYGROUND_PORT: String(playgroundPort),
      PLAYGROUND: 'true',
      DATA_DIR: o.dataDir,
      // Fast Defender and fast tracking, so the whole flow fits in seconds.
      SIMULATOR_ACTION_SECONDS: '3',
      TRACKING_FIRST_CHECK_SECONDS: '1',
      TRACKING_MAX_INTERVAL_SECONDS: '2',
      LOG_LEVEL: 'warn',
      ...o.env,
    }),
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const sandbox: Sandbox = {
    playgroundUrl: `http://127.0.0.1:${playgroundPort}`,
    botUrl: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () => stopGroup(child),
  };
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  while (
    !(await answers(`${sandbox.playgroundUrl}/_internal/v1/config`)) ||
    !(await answers(`${sandbox.botUrl}/readyz`))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await sandbox.stop();
      throw new Error(`the sandbox did not come up (exit code ${child.exitCode}). Its output:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return sandbox;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** SIGTERM to the group (the bot shuts down in order), SIGKILL after 10 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = (ms: number) =>
    new Promise<void>((resolve) => {
      if (exited()) return resolve();
      const t = setTimeout(resolve, ms);
      child.once('exit', () => (clearTimeout(t), resolve()));
    });
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  if (!exited()) {
    kill('SIGTERM');
    await waitExit(10_000);
  }
  kill('SIGKILL');
}
