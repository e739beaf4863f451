import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Bot Framework channel tokens made locally: RSA keys from node:crypto, RS256 JWTs
 * signed by hand (jose is ESM-only and does not load under jest's CommonJS), and an
 * OpenID metadata endpoint serving the JWKS the way login.botframework.com does,
 * including the `endorsements` botframework-connector checks against the channel id
 * (jwtTokenExtractor.js).
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  endorsements?: string[];
}

export function newSigningKey(kid: string, endorsements: string[] | undefined = ['msteams']): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, endorsements };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** An RS256 JWT; `header` overrides (e.g. another kid) are merged into the JOSE header. */
export function signJwt(
  key: Pick<SigningKey, 'kid' | 'privateKey'>,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

/** Algorithm confusion: HS256 with the RSA public key's PEM as the HMAC secret. */
export function signHs256WithPublicKey(key: SigningKey, payload: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }));
  const body = b64url(JSON.stringify(payload));
  const secret = key.publicKey.export({ type: 'spki', format: 'pem' });
  return `${head}.${body}.${b64url(createHmac('sha256', secret).update(`${head}.${body}`).digest())}`;
}

/** `alg: none`, no signature. */
export function unsignedJwt(kid: string, payload: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}.`;
}

export interface OpenIdServer {
  metadataUrl: string;
  /** How many times the metadata and key documents were fetched. */
  fetches: number;
  close(): Promise<void>;
}

/** Serves /.well-known/openid-configuration and its jwks_uri on 127.0.0.1. */
export async function startOpenIdServer(keys: SigningKey[], issuer: string): Promise<OpenIdServer> {
  let base = '';
  const state = { fetches: 0 };
  const server = createServer((req, res) => {
    state.fetches++;
    let body: unknown;
    if (req.url === '/.well-known/openid-configuration')
      body = { issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] };
    else if (req.url === '/keys')
      body = {
        keys: keys.map((k) => ({
          ...k.publicKey.export({ format: 'jwk' }),
          kid: k.kid,
          use: 'sig',
          ...(k.endorsements ? { endorsements: k.endorsements } : {}),
        })),
      };
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/.well-known/openid-configuration`,
    get fetches() {
      return state.fetches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
