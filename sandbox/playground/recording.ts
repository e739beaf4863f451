/**
 * Finding cards the bot posted, from the Playground's own record of the conversation.
 *
 * What the Playground (0.2.28) offers, from reading its server and served page:
 * - `/_conversation/v1/conversations/:id/messages` (POST: the page's compose box),
 *   `/_conversation/v1/invoke` (POST: a card click), `/_conversation/v1/submit`.
 * - `/_internal/v1/config` (GET: mock data, current user), `/v1/testConfig`,
 *   `/v1/customActivities[/template]`, `/v1/configAuth`, `/v1/configDebugOptions`.
 * - `/_connector/v3/...`: the Bot Connector the bot talks to (send, update, delete, members).
 * - WebSockets `/_ws_conversation/v1/conversations/stream` (messages pushed to the page)
 *   and `/_ws/log/stream` (its log panel).
 * There is no route that lists messages: history lives in the page. The conversation
 * socket is no way in either: it pushes only new messages, and messages sent while no
 * page is open are buffered and handed to the first client that connects, so a CLI
 * listening there would steal them from the browser.
 * What it does have is `--enable-events-recording`: every activity between the bot and
 * the Playground appended to a file (`M365_AGENTS_PLAYGROUND_RECORDING_FILE`), as
 * pretty-printed JSON records separated by `\n---\n`, each with the direction, the
 * connector request (method, url, body) and the response (the new message id). That is
 * the Playground's record of what was shown, not the bot's store.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface RecordedCard {
  conversationId: string;
  /** The card's message id: the `replyToId` of a click on it. */
  messageId: string;
  requestId: string;
  /** The card as last sent or updated by the bot. */
  card: Record<string, unknown>;
  /** Order of first appearance (creation). */
  seq: number;
}

interface RecordEntry {
  direction?: string;
  conversationId?: string;
  messageId?: string;
  request?: { method?: string; url?: string; body?: Activity };
  response?: { statusCode?: number; body?: { id?: string } };
}

interface Activity {
  conversation?: { id?: string };
  attachments?: Array<{ contentType?: string; content?: unknown }>;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

export function readRecordedCards(file: string): RecordedCard[] {
  if (!existsSync(file)) return [];
  const cards = new Map<string, RecordedCard>();
  let seq = 0;
  for (const chunk of readFileSync(file, 'utf8').split('\n---\n')) {
    if (!chunk.trim()) continue;
    let entry: RecordEntry;
    try {
      entry = JSON.parse(chunk) as RecordEntry;
    } catch {
      continue; // a record still being written
    }
    const found = cardOf(entry);
    if (!found) continue;
    const key = `${found.conversationId}\n${found.messageId}`;
    const prior = cards.get(key);
    cards.set(key, { ...found, seq: prior?.seq ?? seq++ });
  }
  return [...cards.values()].sort((a, b) => a.seq - b.seq);
}

/** A bot → Playground send (POST) or update (PUT) that carries a request card. */
function cardOf(e: RecordEntry): Omit<RecordedCard, 'seq'> | undefined {
  const req = e.request;
  if (!e.direction?.startsWith('User Application') || !req?.body) return undefined;
  if ((e.response?.statusCode ?? 0) >= 300) return undefined;
  const method = req.method?.toUpperCase();
  const messageId =
    method === 'PUT'
      ? decodeURIComponent(req.url?.split('/').pop() ?? '')
      : (e.response?.body?.id ?? e.messageId);
  const conversationId = req.body.conversation?.id ?? e.conversationId;
  const card = req.body.attachments?.find((a) => a.contentType === ADAPTIVE)?.content;
  if (!messageId || !conversationId || !isObject(card)) return undefined;
  const requestId = findRequestId(card);
  return requestId ? { conversationId, messageId, requestId, card } : undefined;
}

/** The first `data.requestId` of any Action.Execute, however deeply nested (ShowCard). */
function findRequestId(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const id = findRequestId(n);
      if (id) return id;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  const data = node.data;
  if (node.type === 'Action.Execute' && isObject(data) && typeof data.requestId === 'string')
    return data.requestId;
  for (const v of Object.values(node)) {
    const id = findRequestId(v);
    if (id) return id;
  }
  return undefined;
}

/** The verbs of the Action.Execute buttons on a card, with their titles. */
export function cardActions(card: unknown): Array<{ verb: string; title: string }> {
  const out: Array<{ verb: string; title: string }> = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!isObject(n)) return;
    if (n.type === 'Action.Execute' && typeof n.verb === 'string')
      out.push({ verb: n.verb, title: String(n.title ?? '') });
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
