/**
 * A stand-in for the two Microsoft Graph calls the bot makes (bot/graph/client.ts):
 * checkMemberGroups and a group's transitive user members, answered from the
 * sandbox's directory, with faults: Graph down (503) and throttling (429 + Retry-After).
 * In-process, loopback only, like the Defender simulator.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { BodyTooLarge, readBody, sendJson } from '../defender/http-io';
import { knowsUser, SANDBOX_DIRECTORY, transitiveUsers, type StandInDirectory } from './directory';

export interface GraphFaults {
  /** Every call answers 503 Service Unavailable, as when Graph is down. */
  down?: boolean;
  /** The next `count` calls answer 429 with this Retry-After. */
  throttle?: { count: number; retryAfterSeconds: number };
}

export interface GraphStandInOptions {
  port?: number;
  host?: string;
  /** Default: any non-empty bearer token. */
  acceptToken?: (token: string) => boolean;
  directory?: StandInDirectory;
  /** Users per transitiveMembers page, whatever $top asks. Default 100. */
  pageSize?: number;
  faults?: GraphFaults;
}

export interface GraphCall {
  method: string;
  path: string;
  query: string;
  status: number;
  body?: unknown;
}

export interface GraphStandIn {
  url: string;
  port: number;
  calls: GraphCall[];
  setFaults(faults: GraphFaults): void;
  close(): Promise<void>;
}

/** Graph's limit: checkMemberGroups takes at most 20 group ids. */
export const MAX_GROUP_IDS = 20;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;
const CHECK = /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/i;
const MEMBERS = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/i;

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const graphError = (
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Reply => ({
  status,
  body: {
    error: { code, message, innerError: { 'request-id': 'sandbox', date: new Date(0).toISOString() } },
  },
  headers,
});

export async function startGraphStandIn(opts: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const host = opts.host ?? '127.0.0.1';
  // It accepts any token, so it must never be reachable from another host.
  if (!LOOPBACK.test(host)) throw new Error(`Graph stand-in: host must be a loopback address, got '${host}'`);
  const directory = opts.directory ?? SANDBOX_DIRECTORY;
  const pageSize = Math.max(1, opts.pageSize ?? 100);
  const acceptToken = opts.acceptToken ?? ((t: string) => t.length > 0);
  let faults: GraphFaults = { ...opts.faults };
  const calls: GraphCall[] = [];
  const sockets = new Set<Socket>();
  let url = '';

  function decide(method: string, path: string, query: URLSearchParams, raw: string, auth?: string): Reply {
    const token = /^Bearer (.+)$/i.exec(auth ?? '')?.[1];
    if (!token || !acceptToken(token))
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.', {
        'www-authenticate': 'Bearer',
      });
    if (faults.throttle && faults.throttle.count > 0) {
      faults.throttle.count--;
      const s = faults.throttle.retryAfterSeconds;
      return graphError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': String(s) });
    }
    if (faults.down) return graphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.');

    const check = CHECK.exec(path);
    if (check) {
      if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Use POST.', { allow: 'POST' });
      const user = decodeURIComponent(check[1]!);
      let ids: unknown;
      try {
        ids = (JSON.parse(raw) as { groupIds?: unknown }).groupIds;
      } catch {
        return graphError(400, 'Request_BadRequest', 'The request body is not JSON.');
      }
      if (!Array.isArray(ids) || !ids.every((g) => typeof g === 'string' && GUID.test(g)))
        return graphError(400, 'Request_BadRequest', 'groupIds must be a list of group ids.');
      if (ids.length > MAX_GROUP_IDS)
        return graphError(400, 'Request_BadRequest', `At most ${MAX_GROUP_IDS} groupIds are allowed.`);
      if (!GUID.test(user) || !knowsUser(directory, user))
        return graphError(404, 'Request_ResourceNotFound', `Resource '${user}' does not exist.`);
      const me = user.toLowerCase();
      const value = (ids as string[]).filter((g) => transitiveUsers(directory, g)?.includes(me));
      return {
        status: 200,
        body: { '@odata.context': `${url}/v1.0/$metadata#Collection(Edm.String)`, value },
      };
    }

    const members = MEMBERS.exec(path);
    if (members) {
      if (method !== 'GET') return graphError(405, 'Request_BadRequest', 'Use GET.', { allow: 'GET' });
      const group = decodeURIComponent(members[1]!);
      const users = GUID.test(group) ? transitiveUsers(directory, group) : undefined;
      if (!users) return graphError(404, 'Request_ResourceNotFound', `Resource '${group}' does not exist.`);
      const top = Math.min(pageSize, Math.max(1, Number(query.get('$top')) || pageSize));
      const skip = Math.max(0, Number(query.get('$skiptoken')) || 0);
      const page = users.slice(skip, skip + top);
      const more = skip + top < users.length;
      const next = `${url}/v1.0/groups/${group}/transitiveMembers/microsoft.graph.user?$select=id&$top=${top}&$skiptoken=${skip + top}`;
      return {
        status: 200,
        body: {
          '@odata.context': `${url}/v1.0/$metadata#users(id)`,
          value: page.map((id) => ({ '@odata.type': '#microsoft.graph.user', id })),
          ...(more ? { '@odata.nextLink': next } : {}),
        },
      };
    }
    return graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const query = q < 0 ? '' : rawUrl.slice(q + 1);
      const call: GraphCall = { method: req.method ?? 'GET', path, query, status: 0 };
      calls.push(call);
      let reply: Reply;
      try {
        const raw = await readBody(req);
        if (raw) call.body = safeJson(raw);
        reply = decide(call.method, path, new URLSearchParams(query), raw, req.headers.authorization);
      } catch (e) {
        if (!(e instanceof BodyTooLarge)) throw e;
        reply = graphError(413, 'Request_BadRequest', 'The request body is too large.');
      }
      call.status = reply.status;
      sendJson(res, reply.status, reply.body, reply.headers);
    })().catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${hostPart}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    calls,
    setFaults: (f) => {
      faults = { ...f, ...(f.throttle ? { throttle: { ...f.throttle } } : {}) };
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      })),
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
