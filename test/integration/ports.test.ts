import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config';
import { silentLogger } from '../../bot/log';
import { SANDBOX_DEFAULTS, startSandboxRuntime as startRuntime } from '../../sandbox/runtime';

/** A port already in use is named in the error, with the setting to change (issue #4 §1). */
let busy: Server;
let port: number;
let dataDir: string;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  port = (busy.address() as AddressInfo).port;
  dataDir = mkdtempSync(join(tmpdir(), 'offboarder-ports-'));
});
afterAll(async () => {
  await new Promise((r) => busy.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (env: Record<string, string>) =>
  startRuntime(
    loadConfig(
      { PLAYGROUND: 'false', DATA_DIR: dataDir, PORT: '0', SIMULATOR_PORT: '0', ...env },
      SANDBOX_DEFAULTS,
    ),
    {
      logger: silentLogger(),
    },
  );

it('names PORT when the bot port is taken', async () => {
  await expect(start({ PORT: String(port) })).rejects.toThrow(
    `Port ${port} on 127.0.0.1 is already in use: set PORT`,
  );
});

it('names SIMULATOR_PORT when the simulator port is taken', async () => {
  await expect(start({ SIMULATOR_PORT: String(port) })).rejects.toThrow(
    `Port ${port} is already in use: set SIMULATOR_PORT`,
  );
});

it('starts on free ports and releases them on stop', async () => {
  const runtime = await start({});
  await runtime.stop();
  const again = await start({ PORT: String(runtime.port) });
  await again.stop();
});
