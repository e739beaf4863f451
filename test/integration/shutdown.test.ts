import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { startChildBot, killAllChildBots } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { messageActivity, postActivity, user } from '../fakes/teams';

/**
 * Graceful shutdown (issue: "stop accepting, finish in-flight turns, stop timers, close
 * the store"): SIGTERM arrives while a turn waits on a slow Defender; the turn still
 * completes (its card is posted, its HTTP answer is 200), then the process exits 0
 * with the store closed, and the port no longer answers.
 */
jest.setTimeout(60_000);

let sim: DefenderSimulator;
let connector: FakeConnector;
let dataDir: string;

beforeAll(async () => {
  sim = await startDefenderSimulator({ actionSeconds: 1 });
  connector = await startFakeConnector();
  dataDir = mkdtempSync(join(tmpdir(), 'offboarder-shutdown-'));
});
afterAll(async () => {
  await killAllChildBots();
  await connector.close();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('finishes the in-flight turn on SIGTERM, then exits 0 with the store closed', async () => {
  const bot = await startChildBot({
    env: { PLAYGROUND: 'false', PORT: '0', DATA_DIR: dataDir, SIMULATOR_URL: sim.url, LOG_LEVEL: 'info' },
  });
  sim.setFaults({ latencyMs: 1500 });
  const turn = postActivity(
    bot.url,
    messageActivity({
      serviceUrl: connector.url,
      from: user('alex'),
      text: 'offboard ws-042',
      where: { kind: 'channel', rootId: 'root-shutdown' },
    }),
  );
  // Let the turn reach Defender (each look-up now takes 1.5 s), then ask the bot to stop.
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  const exitCode = bot.stop(20_000);

  const answer = await turn;
  expect(answer.status).toBe(200);
  const card = connector.sent.find((a) => JSON.stringify(a.activity).includes('OFB-'));
  expect(card?.conversationId).toContain('messageid=root-shutdown');
  expect(await exitCode).toBe(0);
  const took = Date.now() - t0;
  console.log(`shutdown: in-flight turn answered ${answer.status}, card posted, exit 0 after ${took} ms`);
  expect(bot.lines.some((l) => /"msg":"shutting down"/.test(l))).toBe(true);
  expect(bot.lines.some((l) => /request store closed/.test(l))).toBe(true);
  await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();
});
