import { constants, createPublicKey, verify, X509Certificate } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/**
 * A local Entra ID stand-in over HTTPS (the pattern of test/integration/defender-token.test.ts):
 * OpenID discovery and a client-credentials token endpoint for one tenant and app, with
 * a self-signed certificate a child bot trusts through NODE_EXTRA_CA_CERTS. It can fail
 * on purpose, and when it refuses a client it echoes the secret it was sent, as a buggy
 * IdP might: the bot must still never log it.
 */
export const IDP_TENANT = '11111111-2222-4333-8444-555555555555';
export const IDP_CLIENT_ID = '66666666-7777-4888-9999-000000000000';
export const IDP_SCOPE = 'https://api.securitycenter.microsoft.com/.default';

export type IdpMode = 'ok' | 'error500' | 'reject401' | 'drop';

export interface Idp {
  url: string;
  /** The IdP's certificate (PEM), to trust. */
  ca: string;
  /** Every access token issued. */
  issued: string[];
  /** Every client_assertion (certificate credential) received: bearer credentials too. */
  assertions: string[];
  /** client_secret values received (to prove the secret did travel). */
  secretsSeen: string[];
  tokenPosts: number;
  /** What the token endpoint does now. */
  mode: IdpMode;
  /** Seconds the issued tokens live; below 300 msal asks again on every call. */
  expiresIn: number;
  /** Accept this client secret, or (when set) a client assertion signed for this certificate. */
  credential: { secret?: string; certPem?: string };
  close(): Promise<void>;
}

export async function startIdp(credential: Idp['credential']): Promise<Idp> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    algorithm: 'sha256',
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  let base = '';
  const idp: Idp = {
    url: '',
    ca: pems.cert,
    issued: [],
    assertions: [],
    secretsSeen: [],
    tokenPosts: 0,
    mode: 'ok',
    expiresIn: 3599,
    credential,
    close: async () => undefined,
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'GET' && path === `/${IDP_TENANT}/v2.0/.well-known/openid-configuration`) {
        return json(res, 200, {
          token_endpoint: `${base}/${IDP_TENANT}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${IDP_TENANT}/oauth2/v2.0/authorize`,
          issuer: `${base}/${IDP_TENANT}/v2.0`,
          jwks_uri: `${base}/${IDP_TENANT}/discovery/v2.0/keys`,
        });
      }
      if (req.method !== 'POST' || path !== `/${IDP_TENANT}/oauth2/v2.0/token`) return json(res, 404, {});
      idp.tokenPosts++;
      const form = new URLSearchParams(raw);
      const secret = form.get('client_secret');
      const assertion = form.get('client_assertion');
      if (secret) idp.secretsSeen.push(secret);
      if (assertion) idp.assertions.push(assertion);
      if (idp.mode === 'drop') return void req.socket.destroy();
      if (idp.mode === 'error500')
        return json(res, 500, {
          error: 'temporarily_unavailable',
          error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
          error_codes: [90033],
        });
      const valid =
        idp.mode === 'ok' &&
        form.get('client_id') === IDP_CLIENT_ID &&
        form.get('grant_type') === 'client_credentials' &&
        form.get('scope') === IDP_SCOPE &&
        (idp.credential.certPem
          ? assertionIsValid(form, idp.credential.certPem)
          : secret === idp.credential.secret);
      if (!valid)
        return json(res, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Got '${secret}', assertion '${assertion}'.`,
          error_codes: [7000215],
        });
      const token = `idp-token-${idp.issued.length + 1}-${Math.random().toString(36).slice(2)}`;
      idp.issued.push(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: idp.expiresIn, access_token: token });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp.url = base;
  idp.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return idp;
}

/** What Entra ID checks: a JWT signed by the registered certificate's key, naming it by thumbprint. */
function assertionIsValid(form: URLSearchParams, certPem: string): boolean {
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return false;
  const [h = '', p = '', sig = ''] = (form.get('client_assertion') ?? '').split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
  const cert = new X509Certificate(certPem);
  const thumb = Buffer.from(cert.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url');
  if (header['x5t#S256'] !== thumb) return false;
  const key = createPublicKey(certPem);
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  if (header.alg === 'PS256')
    return verify(
      'sha256',
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      signature,
    );
  return header.alg === 'RS256' && verify('sha256', data, key, signature);
}
