import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { SANDBOX_TENANT_ID, sandboxIds } from '../../sandbox/users';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { startIdentityEndpoint, type IdentityEndpoint } from '../support/identity-endpoint';
import { offboardPosts } from './defender-log';
import * as teams from './teams-driver';

/**
 * Production mode with no secret anywhere (issue 15, §1): the real bot as a child
 * process, MDE_MANAGED_IDENTITY=system, its tokens from a fake App Service identity
 * endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, as the platform sets them), its
 * Defender calls to the simulator, which accepts only the tokens that endpoint issued.
 * Tokens live 200 s, inside msal's 300 s renewal window, so each Defender call asks the
 * endpoint: when it refuses or stalls, /readyz and the card say so and the bot lives on.
 */
jest.setTimeout(120_000);

let ep: IdentityEndpoint;
let sim: DefenderSimulator;
let connector: FakeConnector;
let bot: ChildBot;
let dir: string;
const logs: string[] = [];
const t = (): teams.Teams => ({ connector, serviceUrl: connector.url, botUrl: () => bot.url });
const readyz = () =>
  fetch(`${bot.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() }));

beforeAll(async () => {
  ep = await startIdentityEndpoint();
  ep.expiresIn = 200;
  ep.slowMs = 8000;
  sim = await startDefenderSimulator({ actionSeconds: 1, acceptToken: (token) => ep.issued.includes(token) });
  connector = await startFakeConnector();
  dir = mkdtempSync(join(tmpdir(), 'offboarder-mi-'));
  bot = await startChildBot({
    logs,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'debug',
      MDE_MANAGED_IDENTITY: 'system',
      ...ep.env(),
      MDE_TENANT_ID: SANDBOX_TENANT_ID,
      MDE_API_BASE_URL: sim.url,
      MDE_REQUEST_TIMEOUT_SECONDS: '2',
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      OFFBOARD_REQUESTERS: sandboxIds('requester').join(','),
      OFFBOARD_APPROVERS: sandboxIds('approver').join(','),
      TRACKING_FIRST_CHECK_SECONDS: '1',
      TRACKING_MAX_INTERVAL_SECONDS: '1',
    },
  });
});

afterAll(async () => {
  await bot?.stop().catch(() => undefined);
  await killAllChildBots();
  await connector?.close();
  await sim?.close();
  await ep?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('offboards on the simulator with tokens from the managed identity and no secret configured', async () => {
  expect(logs.some((l) => /MDE_CLIENT_SECRET|MDE_CLIENT_ID/.test(l))).toBe(false);
  const rootId = 'mi-ok';
  const requestId = await teams.oneApprovalAway(t(), SIM.healthy.name, rootId);
  await teams.decide(t(), requestId, rootId);
  const reply = await teams.waitFinal(connector, requestId);
  expect(String(reply.activity.text)).toMatch(/Succeeded/);
  expect(offboardPosts(sim, SIM.healthy.id)).toHaveLength(1);
  expect(ep.calls.length).toBeGreaterThan(0);
  expect(ep.calls.every((c) => c.headerOk && c.resource === 'https://api.securitycenter.microsoft.com')).toBe(
    true,
  );
  expect(ep.calls.every((c) => c.clientId === null)).toBe(true);
  expect(await readyz()).toEqual({ status: 200, body: { ready: true } });
});

it('an identity endpoint that refuses, then stalls: /readyz and the card report it, the bot lives on and then offboards', async () => {
  const rootId = 'mi-faults';
  const requestId = await teams.oneApprovalAway(t(), SIM.server.name, rootId);
  const retried = () =>
    logs.filter((l) => l.includes(requestId) && l.includes('offboard call will be retried')).length;

  ep.mode = 'fail';
  await teams.decide(t(), requestId, rootId);
  await teams.until(() => retried() >= 1, 'a retry after the identity endpoint refused', 20_000);
  // Readiness caches its token check for 5 s.
  for (let end = Date.now() + 15_000; (await readyz()).status !== 503;) {
    if (Date.now() > end) throw new Error('/readyz did not answer 503');
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await readyz()).toEqual({ status: 503, body: { ready: false, reason: 'defender_token' } });
  const card = teams.cardNow(connector, teams.cardsIn(connector, rootId)[0]?.id);
  expect(card).toMatch(/managed identity/);
  expect(card).toMatch(/Will retry/);

  ep.mode = 'slow';
  const stalledFrom = ep.calls.length;
  const retriesBefore = retried();
  const timedOut = () => logs.filter((l) => l.includes('no answer within 2 s')).length;
  await teams.until(() => timedOut() >= 1, 'a token request that timed out', 30_000);
  await teams.until(() => retried() > retriesBefore, 'a retry after the identity endpoint stalled', 30_000);
  expect(ep.calls.length).toBeGreaterThan(stalledFrom);
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  expect(offboardPosts(sim, SIM.server.id)).toHaveLength(0);

  ep.mode = 'ok';
  const reply = await teams.waitFinal(connector, requestId, 60_000);
  expect(String(reply.activity.text)).toMatch(/Succeeded/);
  expect(offboardPosts(sim, SIM.server.id)).toHaveLength(1);
  expect(logs.filter((l) => /uncaught|unhandled/i.test(l))).toEqual([]);
  console.log(
    `managed-identity: ${ep.calls.length} identity endpoint calls, ${ep.issued.length} tokens issued, ` +
      `${retried()} offboard retries while it refused or stalled; final: Succeeded`,
  );
});

it('logs neither the identity header nor any token', async () => {
  await bot.stop();
  const text = logs.join('\n');
  expect(text).not.toContain(ep.header);
  for (const token of ep.issued) expect(text).not.toContain(token);
});
