import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_USERS } from '../../sandbox/users';

/**
 * A fake Bot Connector (the Teams service side of the Bot Framework protocol): it
 * records every activity the bot sends or updates, assigns ids, and can inject
 * faults (429 with Retry-After, 5xx) to test the bot's send retries. Real HTTP on
 * 127.0.0.1, port 0. It also answers the conversation roster
 * (`GET /v3/conversations/{id}/members`) from `members`.
 */
export interface SentActivity {
  op: 'send' | 'reply' | 'update';
  conversationId: string;
  id: string;
  replyToId?: string;
  activity: Record<string, unknown>;
  at: number;
}

export interface ConnectorFaults {
  /** The next N requests answer with this status (Retry-After: 1 for 429). */
  failNext?: { count: number; status: number };
}

/** A conversation member as `GET /v3/conversations/{id}/members` answers (ChannelAccount). */
export interface Member {
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface FakeConnector {
  url: string;
  sent: SentActivity[];
  /** The roster every conversation answers with (default: the sandbox's mock people). */
  members: Member[];
  /** Conversation ids whose roster was asked for, in order. */
  rosterReads: string[];
  faults: ConnectorFaults;
  /** Resolves when a recorded activity matches (polls; bounded by timeoutMs). */
  waitFor(pred: (a: SentActivity) => boolean, timeoutMs?: number): Promise<SentActivity>;
  /** The latest version of an activity (after updates), by id. */
  latest(id: string): SentActivity | undefined;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: SentActivity[] = [];
  const faults: ConnectorFaults = {};
  const members: Member[] = SANDBOX_USERS.map((u) => ({
    id: u.id,
    name: u.name,
    aadObjectId: u.aadObjectId,
  }));
  const rosterReads: string[] = [];
  let seq = 0;

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    // The roster never faults: `failNext` counts the activity sends the tests aim at.
    const roster = /^\/v3\/conversations\/([^/]+)\/members\/?(?:\?.*)?$/.exec(req.url ?? '');
    if (roster && req.method === 'GET') {
      rosterReads.push(decodeURIComponent(roster[1]!));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fake.members));
      return;
    }
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count--;
      res.writeHead(faults.failNext.status, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 'Throttled', message: 'fake fault' } }));
      return;
    }
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!m) {
      // No chaining: restify replaces http.ServerResponse.prototype.writeHead process-wide
      // with one that returns undefined.
      res.writeHead(404);
      res.end();
      return;
    }
    const conversationId = decodeURIComponent(m[1]!);
    const target = m[2] ? decodeURIComponent(m[2]) : undefined;
    const op: SentActivity['op'] = req.method === 'PUT' ? 'update' : target ? 'reply' : 'send';
    const id = op === 'update' ? target! : `act-${++seq}`;
    sent.push({
      op,
      conversationId,
      id,
      replyToId: op === 'reply' ? target : undefined,
      activity: body,
      at: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeConnector = {
    url: `http://127.0.0.1:${port}/`,
    sent,
    members,
    rosterReads,
    faults,
    async waitFor(pred, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = sent.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`fake connector: no matching activity within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    latest(id) {
      return [...sent].reverse().find((a) => a.id === id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
