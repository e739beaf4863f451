import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { constants, createPublicKey, verify, X509Certificate } from 'node:crypto';
import pino from 'pino';
import { generate } from 'selfsigned';
import { createDefenderClient } from '../../bot/defender/client';
import { DefenderError, DefenderErrorCode } from '../../bot/defender/defender-error';
import { createRateLimiter } from '../../bot/defender/rate-limiter';
import { createMsalTokenProvider } from '../../bot/defender/token';
import { SIM, startDefenderSimulator } from '../../sandbox/defender';

/**
 * msal-node against a local HTTPS identity provider: a self-signed certificate made
 * here, trusted through the provider's `ca` option (msal's customAgentOptions), so
 * nothing is sent to the public cloud and NODE_EXTRA_CA_CERTS is not needed.
 */

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT_ID = '66666666-7777-4888-9999-000000000000';
const SECRET = 'Sup3r~Secret.Value_never-logged';
const SCOPE = 'https://api.securitycenter.microsoft.com/.default';

interface IdpCall {
  method: string;
  path: string;
  form?: URLSearchParams;
}

interface Idp {
  url: string;
  ca: string;
  calls: IdpCall[];
  issued: string[];
  tokenPosts(): IdpCall[];
  /** What the token endpoint does next. */
  mode: { expiresIn: number; reject?: boolean; clientCertPem?: string };
  close(): Promise<void>;
}

async function startIdp(): Promise<Idp> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    algorithm: 'sha256',
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const calls: IdpCall[] = [];
  const issued: string[] = [];
  const mode: Idp['mode'] = { expiresIn: 3599 };
  let base = '';
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const call: IdpCall = { method: req.method ?? '', path };
        calls.push(call);
        if (req.method === 'GET' && path === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
          return json(res, 200, {
            token_endpoint: `${base}/${TENANT}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/${TENANT}/oauth2/v2.0/authorize`,
            issuer: `${base}/${TENANT}/v2.0`,
            jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys`,
          });
        }
        if (req.method === 'POST' && path === `/${TENANT}/oauth2/v2.0/token`) {
          const form = new URLSearchParams(raw);
          call.form = form;
          const okClient =
            form.get('client_id') === CLIENT_ID && form.get('grant_type') === 'client_credentials';
          let okCredential = form.get('client_secret') === SECRET;
          if (mode.clientCertPem) okCredential = await assertionIsValid(form, mode.clientCertPem);
          if (mode.reject || !okClient || !okCredential || form.get('scope') !== SCOPE) {
            // A hostile or buggy IdP that echoes the secret: it must still not leak.
            return json(res, 401, {
              error: 'invalid_client',
              error_description: `AADSTS7000215: Invalid client secret provided. Got '${form.get('client_secret')}'.`,
              error_codes: [7000215],
            });
          }
          const token = `token-${issued.length + 1}-${Math.random().toString(36).slice(2)}`;
          issued.push(token);
          return json(res, 200, { token_type: 'Bearer', expires_in: mode.expiresIn, access_token: token });
        }
        json(res, 404, { error: 'not_found' });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    ca: pems.cert,
    calls,
    issued,
    mode,
    tokenPosts: () => calls.filter((c) => c.method === 'POST'),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** What Entra ID checks: a JWT signed by the registered certificate's key, naming it by thumbprint. */
async function assertionIsValid(form: URLSearchParams, certPem: string): Promise<boolean> {
  const jwt = form.get('client_assertion') ?? '';
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return false;
  const cert = new X509Certificate(certPem);
  const [h = '', p = '', sig = ''] = jwt.split('.');
  // (jose is ESM-only and jest runs CommonJS here: node:crypto does the same check.)
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
  const thumb = Buffer.from(cert.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url');
  if (header['x5t#S256'] !== thumb || !Array.isArray(header.x5c)) return false;
  const key = createPublicKey(certPem);
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  if (header.alg === 'PS256') {
    return verify(
      'sha256',
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      signature,
    );
  }
  return header.alg === 'RS256' && verify('sha256', data, key, signature);
}

function capture() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) }) };
}

describe('msal token provider against a local HTTPS IdP', () => {
  let idp: Idp;
  beforeEach(async () => {
    idp = await startIdp();
  });
  afterEach(() => idp.close());

  const provider = (logger = pino({ level: 'silent' }), extra: { certificatePem?: string } = {}) =>
    createMsalTokenProvider({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      ...(extra.certificatePem ? { certificatePem: extra.certificatePem } : { clientSecret: SECRET }),
      authorityHost: idp.url,
      scope: SCOPE,
      logger,
      ca: idp.ca,
    });

  test('client secret: a token from the IdP (no public-cloud discovery), cached for the next call', async () => {
    const tp = provider();
    const [a, b] = await Promise.all([tp.getToken(), tp.getToken()]); // concurrent callers share one request
    const c = await tp.getToken();
    expect(a).toBe(idp.issued[0]);
    expect([b, c]).toEqual([a, a]);
    expect(idp.tokenPosts()).toHaveLength(1);
    expect(idp.calls[0]).toMatchObject({
      method: 'GET',
      path: `/${TENANT}/v2.0/.well-known/openid-configuration`,
    });
    const form = idp.tokenPosts()[0]!.form!;
    expect(form.get('scope')).toBe(SCOPE);
  });

  test('a token close to expiry is refreshed before it expires; forceRefresh asks again', async () => {
    idp.mode.expiresIn = 200; // inside msal's 300 s renewal window
    const tp = provider();
    const first = await tp.getToken();
    const second = await tp.getToken();
    expect(second).not.toBe(first);
    idp.mode.expiresIn = 3599;
    const third = await tp.getToken();
    expect(await tp.getToken()).toBe(third);
    expect(await tp.getToken({ forceRefresh: true })).not.toBe(third);
    expect(idp.tokenPosts()).toHaveLength(4);
  });

  test('certificate credential: a signed client assertion with x5t#S256 and x5c', async () => {
    const client = await generate([{ name: 'commonName', value: 'offboarder' }], { algorithm: 'sha256' });
    idp.mode.clientCertPem = client.cert;
    const tp = provider(undefined, { certificatePem: `${client.cert}\n${client.private}` });
    expect(await tp.getToken()).toBe(idp.issued[0]);
    expect(idp.tokenPosts()[0]!.form!.get('client_secret')).toBeNull();
  });

  test('the Defender client sends the msal token as the bearer, and refreshes it once on 401', async () => {
    const tp = provider();
    const first = await tp.getToken();
    // The simulator accepts only tokens this IdP issued, and not the first one (revoked).
    const sim = await startDefenderSimulator({ acceptToken: (t) => idp.issued.includes(t) && t !== first });
    const limiter = createRateLimiter();
    try {
      const client = createDefenderClient({
        baseUrl: sim.url,
        tokenProvider: tp,
        limiter,
        logger: pino({ level: 'silent' }),
        timeoutMs: 2000,
      });
      expect((await client.getMachine(SIM.healthy.id))?.id).toBe(SIM.healthy.id);
      expect(sim.calls.map((c) => c.status)).toEqual([401, 200]);
      expect(idp.tokenPosts()).toHaveLength(2);
      expect((await client.getMachine(SIM.server.id))?.id).toBe(SIM.server.id); // cached token reused
      expect(idp.tokenPosts()).toHaveLength(2);
    } finally {
      await limiter.stop();
      await sim.close();
    }
  });

  test('IdP answers 401: TokenUnavailable, explained, and the secret is nowhere', async () => {
    idp.mode.reject = true;
    const { lines, logger } = capture();
    const e = (await provider(logger)
      .getToken()
      .catch((x: unknown) => x)) as DefenderError;
    expect(e).toBeInstanceOf(DefenderError);
    expect(e.code).toBe(DefenderErrorCode.TokenUnavailable);
    expect(e.chatMessage).toMatch(/app registration/);
    expect(e.chatMessage).toMatch(/AADSTS7000215: the client secret is wrong/);
    const everything = [
      lines.join('\n'),
      e.message,
      e.chatMessage,
      e.stack,
      JSON.stringify(e),
      String(e.cause),
    ].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(SECRET);
  });

  test('a custom msal networkClient (node https + the test CA): every request goes to our IdP only', async () => {
    const urls: string[] = [];
    const send = (url: string, method: string, body?: string) =>
      new Promise<{ headers: Record<string, string>; body: never; status: number }>((resolve, reject) => {
        urls.push(`${method} ${url}`);
        const req = https.request(
          url,
          {
            method,
            ca: idp.ca,
            headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
          },
          (res) => {
            let raw = '';
            res.on('data', (c: Buffer) => (raw += c.toString('utf8')));
            res.on('end', () =>
              resolve({
                headers: res.headers as Record<string, string>,
                body: JSON.parse(raw) as never,
                status: res.statusCode ?? 0,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const tp = createMsalTokenProvider({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      authorityHost: idp.url,
      scope: SCOPE,
      logger: pino({ level: 'silent' }),
      networkClient: {
        sendGetRequestAsync: (url) => send(url, 'GET'),
        sendPostRequestAsync: (url, options) => send(url, 'POST', options?.body),
      },
    });
    expect(await tp.getToken()).toBe(idp.issued[0]);
    expect(urls).toEqual([
      `GET ${idp.url}/${TENANT}/v2.0/.well-known/openid-configuration`,
      expect.stringMatching(new RegExp(`^POST ${idp.url}/${TENANT}/oauth2/v2.0/token`)),
    ]);
  });

  test('bad configuration is a TokenUnavailable error that names the problem, not the material', () => {
    const base = {
      tenantId: TENANT,
      clientId: CLIENT_ID,
      authorityHost: idp.url,
      scope: SCOPE,
      logger: pino({ level: 'silent' }),
    };
    const attempt = (over: object) => {
      try {
        createMsalTokenProvider({ ...base, ...over });
      } catch (e) {
        return e as DefenderError;
      }
      throw new Error('expected a configuration error');
    };
    expect(attempt({}).chatMessage).toMatch(/exactly one of a client secret or a certificate/);
    expect(attempt({ clientSecret: SECRET, certificatePem: 'x' }).code).toBe(
      DefenderErrorCode.TokenUnavailable,
    );
    const pem = '-----BEGIN CERTIFICATE-----\nTUlJ-not-a-cert\n-----END CERTIFICATE-----';
    const bad = attempt({ certificatePem: pem });
    expect(bad.chatMessage).toMatch(/certificate: the PEM holds no PRIVATE KEY block/);
    expect(`${bad.message} ${bad.chatMessage}`).not.toContain('TUlJ');
    expect(attempt({ clientSecret: SECRET, authorityHost: 'login host' }).chatMessage).toMatch(/not a URL/);
  });
});
