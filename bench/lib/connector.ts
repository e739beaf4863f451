import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hiResNow } from './stats';

/**
 * A fake Bot Connector for benchmarks. Same protocol and the same work per request as
 * test/fakes/connector.ts (read the body, parse JSON, answer `{ id }`), but it stamps
 * each arrival with a sub-millisecond clock and wakes waiters directly instead of being
 * polled, so the figures measure the bot and not the test fake. It keeps no bodies.
 */
export interface Arrival {
  op: 'send' | 'reply' | 'update';
  conversationId: string;
  /** The activity id: assigned here for sends, the target for updates. */
  id: string;
  /** hiResNow() when the body had been read. */
  at: number;
  hasCard: boolean;
  /** The request id a request card's buttons carry (as test/fakes/harness.ts reads it). */
  requestId?: string;
  text?: string;
}

export interface BenchConnector {
  url: string;
  /** Arrivals nobody was waiting for (final notices, duplicates). */
  unclaimed: number;
  /** Resolves with the next arrival for the key, registered before the request is sent.
   * Keys: `conv:<conversation id>` for posts, `update:<activity id>` for updates. */
  expect(key: string, timeoutMs?: number): Promise<Arrival>;
  close(): Promise<void>;
}

export async function startBenchConnector(): Promise<BenchConnector> {
  const waiters = new Map<string, Array<(a: Arrival) => void>>();
  let seq = 0;
  const c = { unclaimed: 0 };

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const at = hiResNow();
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!m) {
      // No chaining: restify patches ServerResponse.prototype.writeHead to return undefined.
      res.writeHead(404);
      res.end();
      return;
    }
    const conversationId = decodeURIComponent(m[1]!);
    const target = m[2] ? decodeURIComponent(m[2]) : undefined;
    const op: Arrival['op'] = req.method === 'PUT' ? 'update' : target ? 'reply' : 'send';
    const id = op === 'update' ? target! : `act-${++seq}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
    const arrival: Arrival = {
      op,
      conversationId,
      id,
      at,
      hasCard: Array.isArray(body.attachments) && body.attachments.length > 0,
      requestId: /"requestId":"(OFB-[0-9A-Z]{8})"/.exec(raw)?.[1],
      text: typeof body.text === 'string' ? body.text : undefined,
    };
    const key = op === 'update' ? `update:${id}` : `conv:${conversationId}`;
    const queue = waiters.get(key);
    const wake = queue?.shift();
    if (queue && queue.length === 0) waiters.delete(key);
    if (wake) wake(arrival);
    else c.unclaimed++;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    get unclaimed() {
      return c.unclaimed;
    },
    expect(key, timeoutMs = 30_000) {
      return new Promise<Arrival>((resolve, reject) => {
        const timer = setTimeout(() => {
          const q = waiters.get(key);
          q?.splice(q.indexOf(wake), 1);
          reject(new Error(`bench connector: nothing for ${key} within ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = (a: Arrival) => {
          clearTimeout(timer);
          resolve(a);
        };
        const q = waiters.get(key);
        if (q) q.push(wake);
        else waiters.set(key, [wake]);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
