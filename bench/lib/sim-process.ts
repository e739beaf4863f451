import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT } from './spawn';

/**
 * The Defender simulator in a process of its own, for figures that divide this
 * process's CPU by turns: the real Defender is another machine, and the echo bot the
 * turns are compared with calls no Defender at all. The child (sim-child.ts) takes
 * `reset` on stdin.
 */
/** What turns.ts needs of a simulator, in this process or another. */
export interface BenchSimulator {
  url: string;
  reset(): void | Promise<void>;
  close(): Promise<void>;
}

export async function startSimProcess(o: {
  fleetSize: number;
  limits: { perMinute: number; perHour: number };
}): Promise<BenchSimulator> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'sim-child.ts')], {
    cwd: ROOT,
    env: { ...process.env, SIM_FLEET: String(o.fleetSize), SIM_LIMITS: JSON.stringify(o.limits) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('bench simulator process ended');
    return r.value;
  };
  const url = JSON.parse(await next()).url as string;
  let pending = Promise.resolve();
  return {
    url,
    reset() {
      pending = pending.then(async () => {
        child.stdin!.write('reset\n');
        await next();
      });
      return pending;
    },
    async close() {
      await pending;
      child.stdin!.end();
      await new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      );
    },
  };
}
