import { spawn } from 'node:child_process';
import path from 'node:path';
import { api } from '../fakes/defender-sim-client';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function startMain(env: Record<string, string>): {
  url: Promise<string>;
  exit: Promise<number | null>;
  kill: (s: NodeJS.Signals) => void;
  output: () => string;
} {
  const child = spawn(tsx, ['sandbox/defender/main.ts'], { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { url, exit, kill: (s) => child.kill(s), output: () => out };
}

describe('sandbox/defender/main.ts', () => {
  it('serves on SIMULATOR_PORT with env faults and stops cleanly on SIGTERM', async () => {
    const p = startMain({ SIMULATOR_PORT: '0', SIM_STORM_429: '1', SIMULATOR_ACTION_SECONDS: '0' });
    const url = await p.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api(url, '/api/machines')).status).toBe(429);
    expect((await api(url, '/api/machines')).status).toBe(200);
    p.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('refuses an invalid setting with a message', async () => {
    const p = startMain({ SIMULATOR_PORT: '0', SIM_ERROR_RATE: 'lots' });
    p.url.catch(() => undefined);
    expect(await p.exit).toBe(2);
    expect(p.output()).toContain('SIM_ERROR_RATE');
  });
});
