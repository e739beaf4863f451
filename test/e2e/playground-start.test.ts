import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllChildBots, startChildBot } from '../fakes/child-bot';
import { freePort } from './sandbox-process';

/**
 * `npm start` launches the Playground before it loads the bot's runtime, so the two
 * starts overlap (docs/start-up.md); with PORT=0 the bot's port is chosen first, because
 * the Playground must be told it. Checked by order and addresses, not by time.
 */
const dirs: string[] = [];
afterAll(async () => {
  await killAllChildBots();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until<T>(
  what: string,
  read: () => T | undefined,
  lines: string[],
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what} not seen within ${timeoutMs} ms:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const message = (line: string): string => {
  try {
    return String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
  } catch {
    return line;
  }
};

it('starts the Playground first, tells it the port PORT=0 chose, and prints a working URL', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'offboarder-pg-start-'));
  dirs.push(dataDir);
  const playgroundPort = await freePort();
  const bot = await startChildBot({
    env: {
      PLAYGROUND: 'true',
      PLAYGROUND_PORT: String(playgroundPort),
      PORT: '0',
      SIMULATOR_PORT: '0',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
    },
    readyTimeoutMs: 60_000,
  });
  const printed = await until(
    'the Playground URL',
    () => bot.lines.map((l) => /Open Teams .*: (http:\/\/127\.0\.0\.1:\d+)/.exec(l)?.[1]).find(Boolean),
    bot.lines,
  );
  expect(printed).toBe(`http://127.0.0.1:${playgroundPort}`);
  expect((await fetch(printed)).status).toBe(200);

  const messages = bot.lines.map(message);
  const starting = messages.findIndex((m) => m.startsWith('Playground starting'));
  const storeOpened = messages.findIndex((m) => m === 'request store opened');
  expect(starting).toBeGreaterThanOrEqual(0);
  expect(storeOpened).toBeGreaterThan(starting);
  // The endpoint the Playground was given is the one the bot listens on.
  expect(messages[starting]).toContain(`for the bot at ${bot.url}/api/messages`);
  expect(bot.url).not.toMatch(/:0$/);

  expect(await bot.stop()).toBe(0);
  // Stopped with the bot: its port is free again.
  await expect(fetch(printed, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
}, 120_000);
