import pino from 'pino';
import { DefenderError, DefenderErrorCode } from '../../bot/defender/defender-error';
import { createManagedIdentityTokenProvider } from '../../bot/defender/managed-identity';
import { createReadiness } from '../../bot/readiness';
import { startIdentityEndpoint, type IdentityEndpoint } from '../support/identity-endpoint';

/**
 * Defender tokens from a managed identity: msal-node's ManagedIdentityApplication
 * against a fake App Service identity endpoint on loopback. msal picks the endpoint
 * from IDENTITY_ENDPOINT / IDENTITY_HEADER once per process and keeps one token cache
 * per process (keyed by identity), so every test here shares one endpoint and each
 * failure case uses an identity of its own.
 */
const SCOPE = 'https://api.securitycenter.microsoft.com/.default';
const RESOURCE = 'https://api.securitycenter.microsoft.com';
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

let ep: IdentityEndpoint;
const lines: string[] = [];
const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  ep = await startIdentityEndpoint();
  Object.assign(process.env, ep.env());
});
afterAll(async () => {
  for (const [key, value] of [
    ['IDENTITY_ENDPOINT', saved.endpoint],
    ['IDENTITY_HEADER', saved.header],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  await ep.close();
});
beforeEach(() => {
  ep.mode = 'ok';
  ep.calls.length = 0;
});

test('system-assigned: a token for the Defender resource, with the platform header, then from the cache', async () => {
  const provider = createManagedIdentityTokenProvider({ scope: SCOPE, logger, timeoutMs: 5000 });
  const [a, b] = await Promise.all([provider.getToken(), provider.getToken()]);
  expect(a).toBe(ep.issued.at(-1));
  expect(b).toBe(a);
  expect(await provider.getToken()).toBe(a);
  expect(ep.calls).toEqual([
    { resource: RESOURCE, clientId: null, apiVersion: '2019-08-01', headerOk: true },
  ]);
  // After a 401 the caller forces a new token.
  expect(await provider.getToken({ forceRefresh: true })).not.toBe(a);
  expect(ep.calls).toHaveLength(2);
});

test('user-assigned: the client id is sent to the endpoint', async () => {
  const provider = createManagedIdentityTokenProvider({
    clientId: id(1),
    scope: SCOPE,
    logger,
    timeoutMs: 5000,
  });
  expect(await provider.getToken()).toBe(ep.issued.at(-1));
  expect(ep.calls).toEqual([
    { resource: RESOURCE, clientId: id(1), apiVersion: '2019-08-01', headerOk: true },
  ]);
});

test('an endpoint that refuses: TokenUnavailable naming the managed identity; /readyz says defender_token', async () => {
  ep.mode = 'fail';
  const provider = createManagedIdentityTokenProvider({
    clientId: id(2),
    scope: SCOPE,
    logger,
    timeoutMs: 5000,
  });
  const err = await provider.getToken().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DefenderError);
  expect((err as DefenderError).code).toBe(DefenderErrorCode.TokenUnavailable);
  expect((err as DefenderError).chatMessage).toMatch(/managed identity/);
  expect((err as DefenderError).chatMessage).toMatch(/MDE_MANAGED_IDENTITY_CLIENT_ID/);
  const readiness = createReadiness({
    checks: { store: async () => undefined, defender: () => provider.getToken().then(() => undefined) },
    logger,
  });
  expect(await readiness.check()).toEqual({ ready: false, reason: 'defender_token' });
  // The endpoint recovers: the next request succeeds (failures are not cached by the provider).
  ep.mode = 'ok';
  expect(await provider.getToken()).toBe(ep.issued.at(-1));
});

test('an endpoint that never answers: TokenUnavailable after the timeout, not a hang', async () => {
  ep.mode = 'slow';
  const provider = createManagedIdentityTokenProvider({
    clientId: id(3),
    scope: SCOPE,
    logger,
    timeoutMs: 300,
  });
  const started = Date.now();
  const err = await provider.getToken().catch((e: unknown) => e);
  expect(Date.now() - started).toBeLessThan(5000);
  expect((err as DefenderError).code).toBe(DefenderErrorCode.TokenUnavailable);
  expect((err as DefenderError).message).toMatch(/no answer within 1 s/);
  const readiness = createReadiness({
    checks: { store: async () => undefined, defender: () => provider.getToken().then(() => undefined) },
    logger,
  });
  expect(await readiness.check()).toEqual({ ready: false, reason: 'defender_token' });
});

test('neither the tokens nor the identity header reach the log', () => {
  const text = lines.join('\n');
  expect(lines.some((l) => l.includes('defender token failed'))).toBe(true);
  expect(text).not.toContain(ep.header);
  for (const token of ep.issued) expect(text).not.toContain(token);
});
