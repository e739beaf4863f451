import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/log';
import type { TokenProvider } from '../../bot/defender/token';
import {
  createGraphClient,
  GraphError,
  GraphErrorCode,
  GraphUnavailableError,
  UNAVAILABLE_MESSAGE,
  type GraphClientOptions,
} from '../../bot/graph';

/** The Graph client against tiny HTTP servers on port 0: chunking, paging, every failure. */

const TOKEN = 'graph-token-secret-123';
const USER = '00000000-0000-4000-8000-0000000000aa';
const group = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

interface Call {
  method: string;
  url: string;
  auth?: string;
  body: string;
}
type Handler = (call: Call, res: http.ServerResponse) => void;

async function serve(handler: Handler) {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const call = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body };
      calls.push(call);
      handler(call, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const send = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function tokens(): TokenProvider & { refreshes: number } {
  const t = {
    refreshes: 0,
    getToken: async (o?: { forceRefresh?: boolean }) => {
      if (o?.forceRefresh) t.refreshes++;
      return TOKEN;
    },
  };
  return t;
}

async function setup(handler: Handler, over: Partial<GraphClientOptions> = {}) {
  const server = await serve(handler);
  servers.push(server);
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  });
  const tokenProvider = tokens();
  const client = createGraphClient({
    baseUrl: server.url,
    tokenProvider,
    logger,
    retryDelayMs: 1,
    ...over,
  });
  return { client, calls: server.calls, logs, tokenProvider, url: server.url };
}

async function failure(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error('expected a GraphError');
}

describe('checkMemberGroups', () => {
  it('asks at most 20 group ids per call and returns the ones the user is in', async () => {
    const member = new Set([group(3), group(21), group(44)]);
    const { client, calls, logs } = await setup((call, res) => {
      const ids = (JSON.parse(call.body) as { groupIds: string[] }).groupIds;
      send(res, 200, { value: ids.filter((g) => member.has(g)).map((g) => g.toUpperCase()) });
    });
    const ids = Array.from({ length: 45 }, (_, i) => group(i));
    const found = await client.checkMemberGroups(USER.toUpperCase(), ids);
    expect(found.sort()).toEqual([...member].sort());
    expect(calls.map((c) => (JSON.parse(c.body) as { groupIds: string[] }).groupIds.length)).toEqual([
      20, 20, 5,
    ]);
    expect(calls.every((c) => c.method === 'POST' && c.url === `/v1.0/users/${USER}/checkMemberGroups`)).toBe(
      true,
    );
    expect(calls.every((c) => c.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(logs.join('')).not.toContain(TOKEN);
  });

  it('asks about each group once and counts only ids it asked about', async () => {
    const { client, calls } = await setup((_call, res) => send(res, 200, { value: [group(1), group(99)] }));
    expect(await client.checkMemberGroups(USER, [group(1), group(1).toUpperCase(), group(2)])).toEqual([
      group(1),
    ]);
    expect(JSON.parse(calls[0]!.body)).toEqual({ groupIds: [group(1), group(2)] });
  });

  it('makes no call for an empty list and refuses ids that are not GUIDs', async () => {
    const { client, calls } = await setup((_c, res) => send(res, 200, { value: [] }));
    expect(await client.checkMemberGroups(USER, [])).toEqual([]);
    await expect(client.checkMemberGroups('../me', [group(1)])).rejects.toThrow(TypeError);
    await expect(client.checkMemberGroups(USER, ['x/../../groups'])).rejects.toThrow(TypeError);
    expect(calls).toHaveLength(0);
  });

  it('answers a 429 at once with its Retry-After and the chat message', async () => {
    const { client, calls } = await setup((_c, res) =>
      send(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '7' }),
    );
    const e = await failure(client.checkMemberGroups(USER, [group(1)]));
    expect(e).toBeInstanceOf(GraphUnavailableError);
    expect(e.code).toBe(GraphErrorCode.Unavailable);
    expect(e.chatMessage).toBe(UNAVAILABLE_MESSAGE);
    expect(e.chatMessage).toBe(
      "I can't verify your group membership right now; please try again in a minute.",
    );
    expect((e as GraphUnavailableError).retryAfterMs).toBe(7000);
    expect(calls).toHaveLength(1);
  });

  it('retries a 5xx once, then gives up', async () => {
    let n = 0;
    const flaky = await setup((_c, res) =>
      n++ === 0 ? send(res, 502, 'bad gateway') : send(res, 200, { value: [group(1)] }),
    );
    expect(await flaky.client.checkMemberGroups(USER, [group(1)])).toEqual([group(1)]);
    expect(flaky.calls).toHaveLength(2);

    const down = await setup((_c, res) => send(res, 500, { error: { code: 'InternalServerError' } }));
    const e = await failure(down.client.checkMemberGroups(USER, [group(1)]));
    expect(e).toBeInstanceOf(GraphUnavailableError);
    expect(down.calls).toHaveLength(2);
  });

  it('does not wait out a 503 that asks for a long pause', async () => {
    const { client, calls } = await setup((_c, res) => send(res, 503, '', { 'retry-after': '30' }));
    const e = (await failure(client.checkMemberGroups(USER, [group(1)]))) as GraphUnavailableError;
    expect(e.retryAfterMs).toBe(30_000);
    expect(calls).toHaveLength(1);
  });

  it('times out without retrying', async () => {
    const { client, calls } = await setup(() => undefined, { timeoutMs: 100 });
    const e = await failure(client.checkMemberGroups(USER, [group(1)]));
    expect(e).toBeInstanceOf(GraphUnavailableError);
    expect(e.message).toMatch(/no answer within/);
    expect(calls).toHaveLength(1);
  });

  it('fails as unavailable when the server is gone, after one retry', async () => {
    const { client } = await setup((_c, res) => send(res, 200, { value: [] }));
    await servers.pop()!.close();
    const e = await failure(client.checkMemberGroups(USER, [group(1)]));
    expect(e).toBeInstanceOf(GraphUnavailableError);
  });

  it('fetches a fresh token once after a 401, then names the missing permission', async () => {
    let n = 0;
    const once = await setup((_c, res) => (n++ === 0 ? send(res, 401, {}) : send(res, 200, { value: [] })));
    expect(await once.client.checkMemberGroups(USER, [group(1)])).toEqual([]);
    expect(once.tokenProvider.refreshes).toBe(1);

    const always = await setup((_c, res) =>
      send(res, 401, { error: { code: 'InvalidAuthenticationToken' } }),
    );
    const e = await failure(always.client.checkMemberGroups(USER, [group(1)]));
    expect(e.code).toBe(GraphErrorCode.Forbidden);
    expect(always.calls).toHaveLength(2);

    const forbidden = await setup((_c, res) =>
      send(res, 403, { error: { code: 'Authorization_RequestDenied' } }),
    );
    const f = await failure(forbidden.client.checkMemberGroups(USER, [group(1)]));
    expect(f.code).toBe(GraphErrorCode.Forbidden);
    expect(f.chatMessage).toMatch(/GroupMember\.Read\.All/);
    expect(f.message).toContain('Authorization_RequestDenied');
  });

  it('answers "member of nothing" for a user Graph does not know', async () => {
    const { client } = await setup((_c, res) =>
      send(res, 404, { error: { code: 'Request_ResourceNotFound' } }),
    );
    expect(await client.checkMemberGroups(USER, [group(1)])).toEqual([]);
  });

  it('refuses an answer it cannot read', async () => {
    const { client } = await setup((_c, res) => send(res, 200, { value: [1, 2] }));
    expect((await failure(client.checkMemberGroups(USER, [group(1)]))).code).toBe(
      GraphErrorCode.InvalidResponse,
    );
  });

  it('turns a token failure into "try again"', async () => {
    const { client, calls } = await setup((_c, res) => send(res, 200, { value: [] }), {
      tokenProvider: { getToken: () => Promise.reject(new Error('AADSTS7000222')) },
    });
    expect(await failure(client.checkMemberGroups(USER, [group(1)]))).toBeInstanceOf(GraphUnavailableError);
    expect(calls).toHaveLength(0);
  });
});

describe('transitiveMembers', () => {
  it('asks for users only, with just their ids, across pages', async () => {
    let base = '';
    const { client, calls, url } = await setup((call, res) => {
      if (call.url.includes('skiptoken=2'))
        return send(res, 200, { value: [{ id: group(9) }, { id: USER }] });
      send(res, 200, {
        value: [{ id: USER.toUpperCase() }, { id: 'not-a-guid' }, {}],
        '@odata.nextLink': `${base}/v1.0/groups/${group(7)}/transitiveMembers/microsoft.graph.user?$skiptoken=2`,
      });
    });
    base = url;
    expect((await client.transitiveMembers(group(7))).sort()).toEqual([group(9), USER].sort());
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET']);
    expect(decodeURIComponent(calls[0]!.url)).toBe(
      `/v1.0/groups/${group(7)}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`,
    );
  });

  it('refuses a nextLink to another origin without calling it', async () => {
    const other = await serve((_c, res) => send(res, 200, { value: [] }));
    servers.push(other);
    const { client } = await setup((_c, res) =>
      send(res, 200, { value: [{ id: USER }], '@odata.nextLink': `${other.url}/v1.0/steal` }),
    );
    const e = await failure(client.transitiveMembers(group(7)));
    expect(e.code).toBe(GraphErrorCode.InvalidResponse);
    expect(e.message).toMatch(/another origin/);
    expect(other.calls).toHaveLength(0);
  });

  it('names an unknown group as a configuration problem', async () => {
    const { client } = await setup((_c, res) =>
      send(res, 404, { error: { code: 'Request_ResourceNotFound' } }),
    );
    const e = await failure(client.transitiveMembers(group(7)));
    expect(e.code).toBe(GraphErrorCode.BadConfiguration);
    expect(e.chatMessage).toMatch(/OFFBOARD_APPROVER_GROUPS/);
  });

  it('stops a nextLink chain that never ends', async () => {
    let base = '';
    const { calls, url } = await setup((_c, res) =>
      send(res, 200, { value: [], '@odata.nextLink': `${base}/v1.0/more` }),
    );
    base = url;
    const pager = createGraphClient({
      baseUrl: url,
      tokenProvider: tokens(),
      logger: createLogger({ level: 'silent' }),
      maxPages: 3,
    });
    expect((await failure(pager.transitiveMembers(group(7)))).message).toMatch(/more than 3 pages/);
    expect(calls).toHaveLength(3);
  });
});
