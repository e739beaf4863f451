import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake App Service / Container Apps managed identity endpoint: what the platform
 * serves at IDENTITY_ENDPOINT, guarded by the IDENTITY_HEADER secret it also sets
 * (GET ?api-version=2019-08-01&resource=...[&client_id=...], header X-IDENTITY-HEADER).
 * It issues random tokens, records each call, and can fail or stall on purpose.
 */
export type IdentityMode = 'ok' | 'fail' | 'slow';

export interface IdentityCall {
  resource: string | null;
  clientId: string | null;
  apiVersion: string | null;
  headerOk: boolean;
}

export interface IdentityEndpoint {
  /** For IDENTITY_ENDPOINT. */
  url: string;
  /** For IDENTITY_HEADER: the secret the endpoint checks. */
  header: string;
  mode: IdentityMode;
  /** How long 'slow' waits before answering. */
  slowMs: number;
  /** Token lifetime; under 300 s msal asks again before every use (its renewal window). */
  expiresIn: number;
  calls: IdentityCall[];
  issued: string[];
  /** Environment for a process that should use this endpoint. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startIdentityEndpoint(): Promise<IdentityEndpoint> {
  const header = `hdr-${randomBytes(12).toString('hex')}`;
  const stalled = new Set<ServerResponse>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const ep: IdentityEndpoint = {
    url: '',
    header,
    mode: 'ok',
    slowMs: 10_000,
    expiresIn: 3600,
    calls: [],
    issued: [],
    env: () => ({ IDENTITY_ENDPOINT: ep.url, IDENTITY_HEADER: header }),
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const call: IdentityCall = {
      resource: url.searchParams.get('resource'),
      clientId: url.searchParams.get('client_id'),
      apiVersion: url.searchParams.get('api-version'),
      headerOk: req.headers['x-identity-header'] === header,
    };
    ep.calls.push(call);
    if (!call.headerOk)
      return json(res, 401, { statusCode: 401, message: 'missing or wrong X-IDENTITY-HEADER' });
    if (ep.mode === 'fail')
      return json(res, 400, {
        statusCode: 400,
        message:
          'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
        correlationId: '7f0f3a51-2c1d-4a41-9a55-3b8a1c2d4e5f',
      });
    const answer = () => {
      stalled.delete(res);
      if (res.destroyed) return;
      const token = `mi-${randomBytes(16).toString('hex')}`;
      ep.issued.push(token);
      json(res, 200, {
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + ep.expiresIn),
        resource: call.resource,
        token_type: 'Bearer',
        client_id: call.clientId ?? '00000000-0000-4000-8000-00000000000a',
      });
    };
    if (ep.mode === 'slow') {
      stalled.add(res);
      setTimeout(answer, ep.slowMs).unref();
      return;
    }
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ep.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
  return ep;
}
