import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createDefenderClient, type DefenderClient } from '../../bot/defender/client';
import { DefenderError, DefenderErrorCode } from '../../bot/defender/defender-error';
import { createRateLimiter, type RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';

/**
 * Behaviours the simulator does not produce (403, a foreign nextLink, a connection
 * dropped after the action was created, unreadable 2xx, message-only "already in
 * progress", redirects), each against a tiny HTTP server on port 0.
 */

const TOKEN = 'edge-token-xyz';
const MACHINE = 'c'.repeat(40);
const ACTION_ID = '0b5d1e9a-0b1f-4a2c-9d3e-5f6a7b8c9d0e';

interface Call {
  method: string;
  url: string;
  auth?: string;
  body: string;
}
type Handler = (call: Call, req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler) {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const call = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body };
      calls.push(call);
      handler(call, req, res);
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
const pendingAction = (over: object = {}) => ({
  id: ACTION_ID,
  type: 'Offboard',
  status: 'Pending',
  machineId: MACHINE,
  creationDateTimeUtc: new Date().toISOString(),
  ...over,
});

describe('Defender client edge cases (tiny servers)', () => {
  let limiter: RateLimiter;
  let servers: Array<{ close(): Promise<void> }>;
  const client = (url: string): DefenderClient =>
    createDefenderClient({
      baseUrl: url,
      tokenProvider: staticTokenProvider(TOKEN),
      limiter,
      logger: pino({ level: 'silent' }),
      timeoutMs: 1000,
      retry: { baseDelayMs: 5 },
    });
  const start = async (h: Handler) => {
    const s = await serve(h);
    servers.push(s);
    return s;
  };

  beforeEach(() => {
    limiter = createRateLimiter({ perMinute: 6000, perHour: 100_000 });
    servers = [];
  });
  afterEach(async () => {
    await limiter.stop();
    await Promise.all(servers.map((s) => s.close()));
  });

  test('403: names Machine.Offboard for the offboard, Machine.Read.All for reads', async () => {
    const s = await start((c, _req, res) =>
      c.method === 'GET' && c.url.startsWith('/api/machineactions')
        ? send(res, 200, { value: [] })
        : send(res, 403, { error: { code: 'Forbidden', message: 'Missing role', target: 'ref-403' } }),
    );
    const e = (await client(s.url)
      .offboard(MACHINE, 'x')
      .catch((x) => x)) as DefenderError;
    expect(e).toMatchObject({ code: DefenderErrorCode.Forbidden, status: 403, target: 'ref-403' });
    expect(e.chatMessage).toMatch(/Machine\.Offboard.*support reference: ref-403/s);
    const r = (await client(s.url)
      .getMachine(MACHINE)
      .catch((x) => x)) as DefenderError;
    expect(r.chatMessage).toMatch(/Machine\.Read\.All/);
  });

  test('@odata.nextLink to another origin: not followed, the token never leaves', async () => {
    const evil = await start((_c, _req, res) => send(res, 200, { value: [] }));
    const s = await start((_c, _req, res) =>
      send(res, 200, {
        value: [pendingAction()],
        '@odata.nextLink': `${evil.url}/api/machineactions?$skip=1`,
      }),
    );
    const e = (await client(s.url)
      .listMachineActions({ machineId: MACHINE })
      .catch((x) => x)) as DefenderError;
    expect(e.code).toBe(DefenderErrorCode.InvalidResponse);
    expect(evil.calls).toHaveLength(0);
  });

  test('a redirect is not followed (it would carry the bearer token)', async () => {
    const evil = await start((_c, _req, res) => send(res, 200, {}));
    const s = await start((_c, _req, res) => send(res, 302, '', { location: `${evil.url}/steal` }));
    await expect(client(s.url).getMachine(MACHINE)).rejects.toBeInstanceOf(DefenderError);
    expect(evil.calls).toHaveLength(0);
  });

  test('connection dropped after the action was created: found, one POST only', async () => {
    let created = false;
    const s = await start((c, req, res) => {
      if (c.method === 'POST') {
        created = true;
        req.socket.destroy(); // the service did the work; the answer is lost
        return;
      }
      send(res, 200, { value: created ? [pendingAction()] : [] });
    });
    const r = await client(s.url).offboard(MACHINE, 'leaver');
    expect(r).toEqual({ action: expect.objectContaining({ id: ACTION_ID }), recovered: true });
    expect(s.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(s.calls.every((c) => c.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  test('2xx with an unreadable body: the action is looked up instead of POSTing again', async () => {
    let created = false;
    const s = await start((c, _req, res) => {
      if (c.method === 'POST') {
        created = true;
        return send(res, 201, '<html>Created</html>');
      }
      send(res, 200, { value: created ? [pendingAction({ status: 'InProgress' })] : [] });
    });
    const r = await client(s.url).offboard(MACHINE, 'leaver');
    expect(r.recovered).toBe(true);
    expect(r.action.status).toBe('InProgress');
    expect(s.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  test('400 with an empty code and only the message "Action is already in progress"', async () => {
    let lists = 0;
    const s = await start((c, _req, res) => {
      if (c.method === 'POST')
        return send(res, 400, { error: { code: '', message: 'Action is already in progress' } });
      // The pending check races with another requester: empty first, then the pending action.
      send(res, 200, { value: lists++ === 0 ? [] : [pendingAction({ status: 'InProgress' })] });
    });
    const r = await client(s.url).offboard(MACHINE, 'leaver');
    expect(r).toEqual({ action: expect.objectContaining({ id: ACTION_ID }), recovered: true });
  });

  test('an OData error with an empty code and a details array is read leniently', async () => {
    const s = await start((_c, _req, res) =>
      send(res, 400, {
        error: {
          code: '',
          message: 'The query specified in the URI is not valid.',
          target: 'ref-odata',
          details: [{ code: 'ODataError', message: 'bad', target: '$filter' }],
        },
      }),
    );
    const e = (await client(s.url)
      .findMachinesByName('x')
      .catch((x) => x)) as DefenderError;
    expect(e).toMatchObject({
      code: DefenderErrorCode.BadRequest,
      defenderCode: 'ODataError',
      target: 'ref-odata',
    });
    expect(s.calls).toHaveLength(1);
  });

  test('200 as well as 201 is success for the offboard (the docs say "200 - Created")', async () => {
    const s = await start((c, _req, res) =>
      c.method === 'POST' ? send(res, 200, pendingAction()) : send(res, 200, { value: [] }),
    );
    expect(await client(s.url).offboard(MACHINE, 'leaver')).toEqual({
      action: expect.objectContaining({ id: ACTION_ID, status: 'Pending' }),
      recovered: false,
    });
    expect(JSON.parse(s.calls.find((c) => c.method === 'POST')!.body)).toEqual({ Comment: 'leaver' });
  });
});
