import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';
import { childEnv, freePort, isListening, killAll, run } from './support/spawn';

/**
 * Two bot processes on one DATA_DIR (issue #10, item 5): a rolling deploy or a second
 * replica on the same volume would both resume every `executing` request and each
 * could POST the offboard. The first process holds an exclusive lock on the store;
 * a second one exits non-zero with a message naming DATA_DIR, and leaves the first
 * running. The lock is the operating system's: a SIGKILLed holder does not block the
 * restart.
 */
jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
let dataDir: string;
const env = () => ({
  PLAYGROUND: 'false',
  PORT: '0',
  SIMULATOR_PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
});

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'offboarder-lock-'));
});
afterAll(async () => {
  killAll();
  await killAllChildBots();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a second process on the same DATA_DIR exits naming DATA_DIR; after SIGKILL of the first, a new one starts', async () => {
  const first: ChildBot = await startChildBot({ env: env() });
  const port = await freePort();
  const second = await run(process.execPath, ['--import', 'tsx', 'index.ts'], {
    cwd: ROOT,
    env: childEnv({ ...env(), PORT: String(port), NODE_NO_WARNINGS: '1' }),
    timeoutMs: 30_000,
  });
  const line = second.stderr.split('\n').find((l) => l.startsWith('Offboarder cannot start'));
  const firstStillReady = (await fetch(`${first.url}/readyz`)).status;
  console.log(
    `store-lock: second process on the same DATA_DIR: ${second.timedOut ? 'still running (killed)' : `exit ${second.code}`} ` +
      `after ${second.ms} ms: ${line ?? second.stderr.slice(-2000)}; first process /readyz ${firstStillReady}`,
  );
  expect(second.timedOut).toBe(false);
  expect(second.code).not.toBe(0);
  expect(line).toContain(`DATA_DIR ${dataDir}`);
  expect(line).toMatch(/another Offboarder process/);
  expect(await isListening(port)).toBe(false);
  expect(firstStillReady).toBe(200);

  await first.kill();
  const started = Date.now();
  const third = await startChildBot({ env: env() });
  console.log(
    `store-lock: after SIGKILL of the first, a new process was ready in ${Date.now() - started} ms`,
  );
  expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
  await third.stop();
});
