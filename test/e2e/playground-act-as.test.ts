import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PLAYGROUND_IDS, startPlayground, type PlaygroundHandle } from '../../sandbox/playground';
import { playgroundFiles } from '../../sandbox/playground/paths';
import { readRecordedCards } from '../../sandbox/playground/recording';
import { SANDBOX_TENANT_ID, SANDBOX_USERS } from '../../sandbox/users';

/**
 * The Playground alone (no browser, a stand-in bot): start and stop, a busy port, and
 * `act-as` clicking a card as another person through the Playground's invoke endpoint.
 */
const ROOT = join(__dirname, '..', '..');
const TSX_CLI = require.resolve('tsx/cli');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const casey = SANDBOX_USERS.find((u) => u.key === 'casey')!;

interface Seen {
  type: string;
  from?: { id?: string; aadObjectId?: string };
  replyToId?: string;
  value?: { action?: { verb?: string; data?: Record<string, unknown> } };
  channelData?: { tenant?: { id?: string } };
}

/** A bot that answers every message with a card, and every click with a text naming the clicker. */
function standInBot(seen: Seen[]): Server {
  const body = async (req: IncomingMessage) => {
    let s = '';
    for await (const c of req) s += String(c);
    // The Playground also probes the endpoint with empty requests (its wait-on): answer those too.
    return (s ? JSON.parse(s) : { type: 'probe' }) as Seen & {
      serviceUrl: string;
      conversation: { id: string };
    };
  };
  return createServer((req, res) => {
    void body(req).then(async (a): Promise<void> => {
      seen.push(a);
      if (a.type === 'invoke') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const value = `clicked by ${a.from?.aadObjectId}`;
        res.end(
          JSON.stringify({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value }),
        );
        return;
      }
      // No chaining: restify replaces http.ServerResponse.prototype.writeHead process-wide.
      res.writeHead(200);
      res.end();
      if (a.type !== 'message') return;
      const action = {
        type: 'Action.Execute',
        title: 'Approve',
        verb: 'offboard.approve',
        data: { requestId: 'OFB-TEST0001' },
      };
      const card = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'Test card' }],
        actions: [action],
      };
      await fetch(`${a.serviceUrl}/v3/conversations/${encodeURIComponent(a.conversation.id)}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          conversation: a.conversation,
          attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
        }),
      });
    });
  });
}

/** Pids whose command line is a Playground for this port (Linux /proc). */
function processesServing(port: number): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return cmd.includes('m365agentsplayground') && cmd.includes(`http://127.0.0.1:${port}/_connector`);
      } catch {
        return false; // exited meanwhile
      }
    });
}

describe('the Playground process and act-as', () => {
  const seen: Seen[] = [];
  let bot: Server;
  let pg: PlaygroundHandle;

  beforeAll(async () => {
    bot = standInBot(seen);
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
    const { port } = bot.address() as { port: number };
    pg = await startPlayground({
      botEndpoint: `http://127.0.0.1:${port}/api/messages`,
      port: 0,
      projectDir: ROOT,
      logger: quiet,
    });
  }, 60_000);

  afterAll(async () => {
    await pg?.stop();
    if (pg) rmSync(playgroundFiles(ROOT, pg.port).dir, { recursive: true, force: true });
    bot?.close();
  });

  test('serves the sandbox people, with Alex as the current user', async () => {
    const { config } = (await (await fetch(`${pg.url}/_internal/v1/config`)).json()) as {
      config: {
        tenantId: string;
        currentUser: { id: string };
        users: unknown[];
        groupChats: Array<{ name: string }>;
      };
    };
    expect(config.tenantId).toBe(SANDBOX_TENANT_ID);
    expect(config.currentUser.id).toBe(SANDBOX_USERS[0]!.id);
    expect(config.users).toHaveLength(5);
    expect(config.groupChats[0]!.name).toBe(PLAYGROUND_IDS.groupChat.name);
  });

  test('a busy port is an error naming the port and PLAYGROUND_PORT, and the running one is untouched', async () => {
    const recording = playgroundFiles(ROOT, pg.port).recording;
    const before = readFileSync(recording, 'utf8');
    await expect(
      startPlayground({
        botEndpoint: 'http://127.0.0.1:9/api/messages',
        port: pg.port,
        projectDir: ROOT,
        logger: quiet,
      }),
    ).rejects.toThrow(new RegExp(`port ${pg.port} is already in use.*PLAYGROUND_PORT`));
    expect(readFileSync(recording, 'utf8')).toBe(before);
  });

  test('act-as clicks the latest card as Casey, through the Playground', async () => {
    const group = PLAYGROUND_IDS.groupChat.id;
    const mention = `<at>${PLAYGROUND_IDS.bot.name}</at>`;
    const posted = await fetch(
      `${pg.url}/_conversation/v1/conversations/${encodeURIComponent(group)}/messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from: { id: SANDBOX_USERS[0]!.id },
          text: `${mention} offboard ws-042`,
          textFormat: 'plain',
          mentions: [{ mentioned: { id: PLAYGROUND_IDS.bot.id }, text: mention }],
        }),
      },
    );
    expect(posted.ok).toBe(true);
    const recording = playgroundFiles(ROOT, pg.port).recording;
    for (let i = 0; i < 100 && readRecordedCards(recording).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    const [card] = readRecordedCards(recording);
    expect(card).toMatchObject({ conversationId: group, requestId: 'OFB-TEST0001' });

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [TSX_CLI, 'sandbox/playground/act-as.ts', 'casey', 'approve', '--port', String(pg.port)],
      { cwd: ROOT, timeout: 30_000 },
    );
    expect(stdout).toContain(`clicked by ${casey.aadObjectId}`);
    const click = seen.filter((a) => a.type === 'invoke').pop();
    expect(click).toMatchObject({
      from: { id: casey.id, aadObjectId: casey.aadObjectId },
      replyToId: card!.messageId,
      value: { action: { verb: 'offboard.approve', data: { requestId: 'OFB-TEST0001' } } },
      channelData: { tenant: { id: SANDBOX_TENANT_ID } },
    });
  }, 60_000);

  test('stop() leaves no process and frees the port', async () => {
    const { port } = pg;
    expect(processesServing(port)).toHaveLength(1);
    await pg.stop();
    expect(processesServing(port)).toHaveLength(0);
    await expect(fetch(`http://127.0.0.1:${port}/_internal/v1/config`)).rejects.toThrow();
  });
});
