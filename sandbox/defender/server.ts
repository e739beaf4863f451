import http from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../../bot/clock';
import { bearerToken, requestorFromToken } from './auth';
import { errorBody, SimError } from './sim-error';
import { HANDLERS, type SimState } from './handlers';
import { BodyTooLarge, readBody, sendJson } from './http-io';
import type { OperationLimiter } from './rate-window';
import { guid, type Rng } from './rng';
import { matchRoute, type Route } from './routes';
import type { CallLogEntry } from './types';

export interface ServerDeps {
  state: SimState;
  clock: Clock;
  limiter: OperationLimiter;
  acceptToken: (token: string) => boolean;
  calls: CallLogEntry[];
  /** Correlation ids for error `target`s: a stream of its own so ids stay stable. */
  targets: Rng;
}

interface Outcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  retryAfter?: number;
}

/**
 * The request pipeline, in order: log the arrival; dropConnection; read the body;
 * bearer token (401); route (404/405); storm429; rate windows (a 429 consumes no
 * budget); errorRate (500 before doing anything); the handler. Latency and stalls
 * delay the answer after the work is done, so a client that times out may still have
 * caused the effect, as with the real service.
 */
export function createSimServer(deps: ServerDeps): { server: http.Server; shutdown(): Promise<void> } {
  const sockets = new Set<Socket>();
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const s = { timer: setTimeout(() => (sleepers.delete(s), resolve()), ms), wake: resolve };
      sleepers.add(s);
    });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const now = deps.clock.now();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    const route = matchRoute(method, path);
    const entry: CallLogEntry = {
      at: now,
      method,
      path,
      query,
      operation: route.kind === 'op' ? route.operation : 'unknown',
      status: 0,
    };
    deps.calls.push(entry);
    if (deps.state.faults.takeDrop()) {
      req.socket.destroy();
      return;
    }
    let rawBody = '';
    let outcome: Outcome;
    try {
      rawBody = await readBody(req);
      if (rawBody !== '') entry.body = jsonOrText(rawBody);
      outcome = decide(req, route, path, now, rawBody, query);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      outcome = fail(new SimError(413, 'RequestEntityTooLarge', 'The request body is too large'));
    }
    entry.status = outcome.status;
    if (outcome.retryAfter !== undefined) entry.retryAfter = outcome.retryAfter;
    const delay = deps.state.faults.latencyMs + deps.state.faults.takeStallMs();
    if (delay > 0) await sleep(delay);
    sendJson(res, outcome.status, outcome.body, outcome.headers);
  }

  function decide(
    req: http.IncomingMessage,
    route: Route,
    path: string,
    now: number,
    rawBody: string,
    rawQuery: string,
  ): Outcome {
    try {
      const token = bearerToken(req.headers.authorization);
      if (/^\/api(\/|$)/i.test(path) && (!token || !deps.acceptToken(token))) {
        throw new SimError(401, 'Unauthorized', 'Authorization header is missing or the token is invalid');
      }
      if (route.kind === 'notFound') throw new SimError(404, 'NotFound', `No resource matches ${path}`);
      if (route.kind === 'badPath') throw new SimError(400, 'BadRequest', 'The request path is malformed');
      if (route.kind === 'methodNotAllowed') {
        return {
          ...fail(new SimError(405, 'MethodNotAllowed', `Allowed: ${route.allow}`)),
          headers: { allow: route.allow },
        };
      }
      const stormRetry = deps.state.faults.takeStorm(route.operation);
      if (stormRetry !== undefined) throw tooMany(stormRetry);
      const admission = deps.limiter.tryAcquire(route.operation, now);
      if (!admission.ok) throw tooMany(admission.retryAfterSeconds);
      if (deps.state.faults.rollError(route.operation)) {
        throw new SimError(500, 'InternalServerError', 'An unexpected error occurred');
      }
      const reply = HANDLERS[route.operation](deps.state, {
        now,
        id: route.id,
        rawQuery,
        rawBody,
        contentType: req.headers['content-type'],
        requestor: requestorFromToken(token ?? ''),
      });
      return { ...reply, headers: {} };
    } catch (e) {
      if (e instanceof SimError) return fail(e);
      return fail(new SimError(500, 'InternalServerError', `Simulator error: ${(e as Error).message}`));
    }
  }

  function fail(e: SimError): Outcome {
    const target = guid(deps.targets);
    const headers: Record<string, string> = {};
    if (e.extra.retryAfter !== undefined) headers['retry-after'] = String(e.extra.retryAfter);
    if (e.status === 401) headers['www-authenticate'] = 'Bearer';
    return { status: e.status, body: errorBody(e, target), headers, retryAfter: e.extra.retryAfter };
  }

  async function shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    sleepers.clear();
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  return { server, shutdown };
}

// Retrying before Retry-After keeps you throttled (docs/defender-api.md, "Errors").
const tooMany = (seconds: number): SimError =>
  new SimError(429, 'TooManyRequests', `Rate limit is exceeded. Try again in ${seconds} seconds.`, {
    retryAfter: seconds,
  });

function jsonOrText(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
