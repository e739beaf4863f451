import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { startHarness, verbs, type Harness } from '../fakes/harness';
import { invokeActivity, messageActivity, postActivity, user } from '../fakes/teams';
import {
  newSigningKey,
  signHs256WithPublicKey,
  signJwt,
  startOpenIdServer,
  unsignedJwt,
  type OpenIdServer,
} from './support/jwt';

/**
 * Bot Framework authentication on /api/messages with BOT_ID set. The channel's keys
 * are local: bot/config.ts passes ToBotFromChannelOpenIdMetadataUrl and
 * ToBotFromChannelTokenIssuer through to botbuilder, which then validates like for
 * Teams (parameterizedBotFrameworkAuthentication.js): issuer, signature by a key from
 * the metadata's JWKS endorsed for the channel id, aud = BOT_ID, serviceurl = the
 * activity's serviceUrl, exp/nbf with 5 minutes of tolerance. Every bad token gets 401
 * and reaches no handler: the probe activity would otherwise make a Defender lookup.
 */
jest.setTimeout(30_000);

const BOT_ID = 'b07b07b0-0000-4000-8000-000000000b07';
const ISSUER = 'https://api.botframework.com';
const trusted = newSigningKey('channel-key-1');
const notForTeams = newSigningKey('webchat-key', ['webchat']);
const attacker = newSigningKey('attacker-key');
const UNKNOWN_DEVICE = 'ab'.repeat(20);

let oid: OpenIdServer;
let h: Harness;
beforeAll(async () => {
  oid = await startOpenIdServer([trusted, notForTeams], ISSUER);
  h = await startHarness({
    env: {
      LOG_LEVEL: 'warn',
      BOT_ID,
      BOT_PASSWORD: 'test-only-bot-password',
      BOT_TENANT_ID: SANDBOX_TENANT_ID,
      ToBotFromChannelTokenIssuer: ISSUER,
      ToBotFromChannelOpenIdMetadataUrl: oid.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: oid.metadataUrl,
      // Never used (no test sends a reply), but must not point at the internet.
      ToChannelFromBotLoginUrl: 'https://127.0.0.1:9/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ValidateAuthority: 'false',
    },
  });
});
afterAll(async () => {
  await h.close();
  await oid.close();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: BOT_ID,
  serviceurl: h.connector.url,
  nbf: now() - 60,
  iat: now() - 60,
  exp: now() + 3600,
  ...over,
});
/** "Offboard this one" on an unknown device: if a handler runs, Defender gets a getMachine. */
const probe = () =>
  invokeActivity({
    serviceUrl: h.connector.url,
    from: user('alex'),
    verb: verbs.choose,
    data: { machineId: UNKNOWN_DEVICE },
    where: { kind: 'personal', userKey: 'alex' },
  });
const send = (authorization?: string, activity: object = probe()) =>
  postActivity(h.runtime.botUrl, activity, authorization === undefined ? {} : { authorization });

test('a token signed by the channel key, for this bot, is accepted and reaches the handler', async () => {
  const calls = h.sim.calls.length;
  const res = await send(`Bearer ${signJwt(trusted, claims())}`);
  expect(res.status).toBe(200);
  expect((res.body as { value?: unknown }).value).toMatch(/found no device/);
  expect(h.sim.calls.slice(calls).map((c) => `${c.operation} ${c.path}`)).toEqual([
    `getMachine /api/machines/${UNKNOWN_DEVICE}`,
  ]);
  console.log('bot-auth: 1 correctly signed token accepted (HTTP 200, handler ran, 1 Defender lookup)');
});

const BAD: Array<[string, () => string | undefined]> = [
  ['no Authorization header', () => undefined],
  ['empty bearer', () => 'Bearer '],
  ['Basic scheme', () => `Basic ${Buffer.from(`${BOT_ID}:x`).toString('base64')}`],
  ['garbage token', () => 'Bearer not.a.jwt'],
  ['signed by another key (unknown kid)', () => `Bearer ${signJwt(attacker, claims())}`],
  [
    'signed by another key with the channel kid',
    () => `Bearer ${signJwt({ ...attacker, kid: trusted.kid }, claims())}`,
  ],
  [
    'for another audience',
    () => `Bearer ${signJwt(trusted, claims({ aud: '11111111-1111-4111-8111-111111111111' }))}`,
  ],
  ['no audience', () => `Bearer ${signJwt(trusted, claims({ aud: undefined }))}`],
  ['from another issuer', () => `Bearer ${signJwt(trusted, claims({ iss: 'https://sts.example.com/' }))}`],
  [
    'expired 10 minutes ago',
    () => `Bearer ${signJwt(trusted, claims({ exp: now() - 600, nbf: now() - 4000 }))}`,
  ],
  ['not valid for 10 more minutes', () => `Bearer ${signJwt(trusted, claims({ nbf: now() + 600 }))}`],
  [
    'for another serviceUrl',
    () => `Bearer ${signJwt(trusted, claims({ serviceurl: 'https://evil.example/' }))}`,
  ],
  ['key not endorsed for msteams', () => `Bearer ${signJwt(notForTeams, claims())}`],
  ['alg none', () => `Bearer ${unsignedJwt(trusted.kid, claims())}`],
  ['HS256 keyed with the public key', () => `Bearer ${signHs256WithPublicKey(trusted, claims())}`],
];

let unhandled = 0;
const statuses: string[] = [];
test.each(BAD)('%s: 401, no handler, no Defender call, no Teams post', async (name, token) => {
  const calls = h.sim.calls.length;
  const sent = h.connector.sent.length;
  const res = await send(token());
  const message = await send(
    token(),
    messageActivity({
      serviceUrl: h.connector.url,
      from: user('alex'),
      text: 'offboard ws-042',
      where: { kind: 'personal', userKey: 'alex' },
    }),
  );
  await new Promise((r) => setTimeout(r, 50));
  // First what matters most: no handler ran. Then the status Teams and monitoring see.
  expect(JSON.stringify(res.body ?? '')).not.toMatch(/found no device/);
  expect(h.sim.calls.length).toBe(calls);
  expect(h.connector.sent.length).toBe(sent);
  unhandled++;
  statuses.push(`${name}: ${res.status}`);
  expect([res.status, message.status]).toEqual([401, 401]);
});

afterAll(() => {
  const ok = statuses.filter((s) => s.endsWith(': 401')).length;
  console.log(
    `bot-auth: ${BAD.length} kinds of bad or missing token, each sent as a card click and a message: ` +
      `${unhandled} reached no handler (0 Defender calls, 0 Teams posts), ${ok} answered 401\n${statuses.join('\n')}`,
  );
});

test('with BOT_ID set, bodies are still checked before authentication: 413 and 415', async () => {
  const calls = h.sim.calls.length;
  const big = await fetch(`${h.runtime.botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...probe(), pad: 'x'.repeat(300_000) }),
  });
  const text = await fetch(`${h.runtime.botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${signJwt(trusted, claims())}` },
    body: 'offboard ws-042',
  });
  expect([big.status, text.status]).toEqual([413, 415]);
  expect(h.sim.calls.length).toBe(calls);
  console.log('bot-auth: with BOT_ID set, a 300 kB body got 413 and a text/plain body 415, 0 handler runs');
});
