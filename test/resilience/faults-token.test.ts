import { SIM } from '../../sandbox/defender';
import { actionsOn, offboardPosts } from './defender-log';
import { SHOWS_RETRY } from './fault-cases';
import { startProductionWorld, type ProductionWorld } from './production-world';
import * as teams from './teams-driver';

/**
 * The token endpoint down or failing (issue 5, §4), on the production token path: the
 * real bot in production mode gets its Defender tokens from a local HTTPS IdP through
 * msal-node. Tokens live 200 s, inside msal's 300 s renewal window, so every Defender
 * call asks the IdP first and an IdP outage hits whatever the bot is doing.
 *
 * msal-node remembers a 5xx or 429 from the token endpoint and refuses to ask again for
 * 60 s (msal-common ThrottlingUtils; it looks for a `Retry-After` header but Node gives
 * header names in lower case, so it always waits the default 60 s). The 5xx case runs
 * last for that reason.
 */
jest.setTimeout(90_000);

let w: ProductionWorld;
let cardWhileRetrying = '';

beforeAll(async () => {
  w = await startProductionWorld({
    credential: { secret: 'token-faults~Secret.123' },
    tokenLifetimeSeconds: 200,
  });
});
afterAll(() => w?.close());

const linesWith = (...parts: string[]) => w.logs.filter((l) => parts.every((p) => l.includes(p)));
const retries = (requestId: string) =>
  linesWith(requestId, 'offboard call will be retried', 'TokenUnavailable').length;

it('token endpoint refusing, then down, during execution: the request retries and offboards once it is back', async () => {
  const rootId = 'token-exec';
  const requestId = await teams.oneApprovalAway(w.teams, SIM.healthy.name, rootId);
  const started = Date.now();
  w.idp.mode = 'reject401';
  await teams.decide(w.teams, requestId, rootId);
  await teams.until(() => retries(requestId) >= 2, 'two retries after 401s from the IdP', 20_000);
  w.idp.mode = 'drop';
  await teams.until(() => retries(requestId) >= 4, 'two retries with the IdP down', 20_000);
  cardWhileRetrying = teams.cardNow(w.connector, teams.cardsIn(w.connector, rootId)[0]?.id);
  expect(offboardPosts(w.sim, SIM.healthy.id)).toHaveLength(0);
  w.idp.mode = 'ok';
  const back = Date.now();
  const reply = await teams.waitFinal(w.connector, requestId, 30_000);
  console.log(
    `faults/token: IdP refused (401) then dropped connections for ${Math.round((back - started) / 1000)} s during execution, ` +
      `${retries(requestId)} retries scheduled, final reply ${Math.round((Date.now() - back) / 1000)} s after it came back: ` +
      `${/Succeeded/.test(String(reply.activity.text)) ? 'Succeeded' : 'not succeeded'}; offboard POSTs ${offboardPosts(w.sim, SIM.healthy.id).length}`,
  );
  expect(String(reply.activity.text)).toMatch(/Succeeded/);
  expect(offboardPosts(w.sim, SIM.healthy.id)).toHaveLength(1);
  expect(actionsOn(w.sim, SIM.healthy.id)).toHaveLength(1);
});

it('token endpoint down while tracking: status checks resume and the final status is posted', async () => {
  const rootId = 'token-track';
  const requestId = await teams.oneApprovalAway(w.teams, SIM.server.name, rootId);
  await teams.decide(w.teams, requestId, rootId);
  await teams.until(() => actionsOn(w.sim, SIM.server.id).length === 1, 'the offboard action');
  w.idp.mode = 'drop';
  await teams.until(
    () => linesWith(requestId, 'status check will be retried', 'TokenUnavailable').length >= 1,
    'a status check that failed for want of a token',
    20_000,
  );
  w.idp.mode = 'ok';
  const reply = await teams.waitFinal(w.connector, requestId, 30_000);
  console.log(
    `faults/token: IdP down during tracking: ${linesWith(requestId, 'status check will be retried').length} status checks retried; ` +
      `final reply: ${/Succeeded/.test(String(reply.activity.text)) ? 'Succeeded' : 'not succeeded'}`,
  );
  expect(String(reply.activity.text)).toMatch(/Succeeded/);
  expect(offboardPosts(w.sim, SIM.server.id)).toHaveLength(1);
});

it('while the token endpoint fails, the card shows that the offboarding is being retried', () => {
  // Captured in the first test, after four retries were scheduled.
  expect(cardWhileRetrying).not.toBe('');
  expect(cardWhileRetrying).toMatch(SHOWS_RETRY);
});

it('token endpoint answering 500: msal holds off 60 s; the request ends clearly reported, nothing sent', async () => {
  const rootId = 'token-500';
  const device = SIM.shortNameOnly;
  const requestId = await teams.oneApprovalAway(w.teams, device.name, rootId);
  w.idp.mode = 'error500';
  const posts = w.idp.tokenPosts;
  await teams.decide(w.teams, requestId, rootId);
  // 10 attempts at this test's 1 s retry interval end inside msal's 60 s hold-off.
  const reply = await teams.waitFinal(w.connector, requestId, 45_000);
  const text = String(reply.activity.text);
  console.log(
    `faults/token: IdP answering 500: ${w.idp.tokenPosts - posts} token requests reached it, ${retries(requestId)} retries, ` +
      `then the thread was told: ${JSON.stringify(text.slice(0, 160))}…; offboard POSTs ${offboardPosts(w.sim, device.id).length}`,
  );
  expect(text).toMatch(/was not offboarded/);
  expect(text).toMatch(/access token/);
  expect(offboardPosts(w.sim, device.id)).toHaveLength(0);
});
