import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A forwarding HTTP proxy on 127.0.0.1 that can hold, delay, fail or drop chosen calls.
 * The simulator's own faults (stallMs, dropConnection) hit "the next N calls" whatever
 * they are; a crash or fault test often needs one call of one request (this device's
 * offboard POST, that device's pre-check), and this gate targets it by method and path.
 * Everything passes through unchanged otherwise, so the simulator and the fake connector
 * still log every call that reaches them.
 */
export type GateAction =
  /** Not forwarded; answered never (until clear()). The caller waits, as on a stalled service. */
  | { kind: 'holdRequest' }
  /** Forwarded (the service does the work); the answer is held until clear(). */
  | { kind: 'holdResponse' }
  /** Forwarded; the answer is sent `ms` later. */
  | { kind: 'delayResponse'; ms: number }
  /** Connection destroyed before forwarding: the service never sees the call. */
  | { kind: 'dropBefore' }
  /** Forwarded; the connection is destroyed instead of answering: the work is done, the answer lost. */
  | { kind: 'dropAfter' }
  /** Answered here with this status (and body, default a generic error); not forwarded. */
  | { kind: 'fail'; status: number; headers?: Record<string, string>; body?: unknown };

export interface GateCall {
  method: string;
  path: string;
  /** Decoded query string. */
  query: string;
  /** The request body parsed as JSON (undefined when empty or not JSON). */
  body?: unknown;
}

export interface GateRule {
  name: string;
  match(c: GateCall): boolean;
  action: GateAction;
  /** How many calls the rule applies to; default unlimited. */
  times?: number;
}

export interface Exchange extends GateCall {
  at: number;
  rule?: string;
  action?: GateAction['kind'];
  /** Status from the service (forwarded calls), set when its answer arrives. */
  upstreamStatus?: number;
  /** Status the caller got; 0 while held or when dropped. */
  status: number;
  /** Retry-After (seconds) the caller got, if any. */
  retryAfter?: number;
}

export interface HttpGate {
  url: string;
  exchanges: Exchange[];
  add(rule: GateRule): void;
  /** How many calls a rule has caught so far. */
  hits(name: string): Exchange[];
  /** Removes every rule and destroys held calls. */
  clear(): void;
  close(): Promise<void>;
}

export async function startHttpGate(target: string): Promise<HttpGate> {
  const upstream = new URL(target);
  let rules: Array<GateRule & { used: number }> = [];
  const exchanges: Exchange[] = [];
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const call: GateCall = {
      method: req.method ?? 'GET',
      path: q < 0 ? raw : raw.slice(0, q),
      query: q < 0 ? '' : safeDecode(raw.slice(q + 1)),
      body: parseJson(body),
    };
    const rule = rules.find((r) => (r.times === undefined || r.used < r.times) && r.match(call));
    if (rule) rule.used++;
    const ex: Exchange = { ...call, at: Date.now(), rule: rule?.name, action: rule?.action.kind, status: 0 };
    exchanges.push(ex);
    const action = rule?.action;
    res.on('close', () => held.delete(res));

    if (action?.kind === 'holdRequest') return void held.add(res);
    if (action?.kind === 'dropBefore') return void req.socket.destroy();
    if (action?.kind === 'fail') {
      ex.status = action.status;
      ex.retryAfter = seconds(action.headers?.['retry-after']);
      res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
      const answer = action.body ?? { error: { code: 'GateFault', message: 'injected by the test' } };
      return void res.end(JSON.stringify(answer));
    }
    const answer = await forward(req, raw, body);
    ex.upstreamStatus = answer.status;
    const send = () => {
      if (res.destroyed || res.writableEnded) return;
      ex.status = answer.status;
      ex.retryAfter = seconds(answer.headers['retry-after']);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };
    if (action?.kind === 'holdResponse') return void held.add(res);
    if (action?.kind === 'dropAfter') return void req.socket.destroy();
    if (action?.kind === 'delayResponse') {
      const t = setTimeout(() => (timers.delete(t), send()), action.ms);
      timers.add(t);
      return;
    }
    send();
  }

  function forward(req: IncomingMessage, path: string, body: Buffer) {
    return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((done, fail) => {
      const headers = { ...req.headers, host: upstream.host };
      delete headers.connection;
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent: false },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(up.headers))
              if (v !== undefined && k !== 'connection' && k !== 'transfer-encoding')
                h[k] = Array.isArray(v) ? v.join(', ') : v;
            done({ status: up.statusCode ?? 502, headers: h, body: Buffer.concat(parts) });
          });
          up.on('error', fail);
        },
      );
      out.on('error', fail);
      out.end(body);
    });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const clear = () => {
    rules = [];
    for (const res of held) res.destroy();
    held.clear();
  };
  return {
    // Targets are origins (the simulator, the connector): keep their trailing-slash style.
    url: `http://127.0.0.1:${port}${target.endsWith('/') ? '/' : ''}`,
    exchanges,
    add: (rule) => void rules.push({ ...rule, used: 0 }),
    hits: (name) => exchanges.filter((e) => e.rule === name),
    clear,
    close: () =>
      new Promise<void>((r) => {
        clear();
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function seconds(header: string | undefined): number | undefined {
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

function parseJson(body: Buffer): unknown {
  if (!body.length) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
