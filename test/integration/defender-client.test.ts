import pino from 'pino';
import { createDefenderClient, type DefenderClient } from '../../bot/defender/client';
import { DefenderError, DefenderErrorCode } from '../../bot/defender/defender-error';
import { InvalidInputError } from '../../bot/defender/odata';
import { createRateLimiter, type RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';
import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';

/** Client ↔ simulator over real HTTP on port 0: every read operation, OData escaping,
 * ambiguous names and each error type. Offboard and cancel: defender-offboard.test.ts. */

const TOKEN = 'sandbox-token-never-logged-4f2a';
const FAST = { perMinute: 6000, perHour: 100_000 };

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

async function expectDefenderError(p: Promise<unknown>, code: string): Promise<DefenderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DefenderError);
  expect((e as DefenderError).code).toBe(code);
  return e as DefenderError;
}

describe('Defender client against the simulator', () => {
  let sim: DefenderSimulator;
  let limiter: RateLimiter;
  let client: DefenderClient;
  let lines: string[];

  const decodedQueries = (op: string) =>
    sim.calls.filter((c) => c.operation === op).map((c) => decodeURIComponent(c.query));

  beforeAll(async () => {
    sim = await startDefenderSimulator({ limits: FAST, pageSize: 1 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    sim.setFaults({});
    limiter = createRateLimiter(FAST);
    const c = capture();
    lines = c.lines;
    client = createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider(TOKEN),
      limiter,
      logger: c.logger,
      timeoutMs: 2000,
      retry: { baseDelayMs: 5, random: () => 0.5 },
    });
  });
  afterEach(async () => {
    await limiter.stop();
    // The token never reaches a log line.
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  test('getMachine: by id; unknown id → undefined; invalid id → rejected before any call', async () => {
    const m = await client.getMachine(SIM.healthy.id);
    expect(m).toMatchObject({
      id: SIM.healthy.id,
      computerDnsName: SIM.healthy.name,
      osPlatform: 'Windows11',
    });
    expect(await client.getMachine('0'.repeat(40))).toBeUndefined();
    await expect(client.getMachine('../machineactions')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.getMachine(`${SIM.healthy.id}/offboard`)).rejects.toBeInstanceOf(InvalidInputError);
    expect(sim.calls.map((c) => c.path)).toEqual([
      `/api/machines/${SIM.healthy.id}`,
      `/api/machines/${'0'.repeat(40)}`,
    ]);
  });

  test('findMachinesByName: a short name shared by two domains returns both (never a guess)', async () => {
    const found = await client.findMachinesByName(SIM.duplicateShortName);
    expect(found.map((m) => m.computerDnsName).sort()).toEqual(SIM.duplicates.map((d) => d.name).sort());
    // pageSize 1: the client followed @odata.nextLink on the simulator's origin.
    expect(sim.calls.filter((c) => c.operation === 'listMachines').length).toBeGreaterThanOrEqual(2);
  });

  test('findMachinesByName: an FQDN matches only itself, case-insensitively; no prefix matches', async () => {
    expect((await client.findMachinesByName('ws-042.contoso.local')).map((m) => m.id)).toEqual([
      SIM.healthy.id,
    ]);
    expect((await client.findMachinesByName('WS-042.Contoso.Local.')).map((m) => m.id)).toEqual([
      SIM.healthy.id,
    ]);
    // "ws-042" is the host label of ws-042.contoso.local, not of ws-0420.contoso.local.
    expect((await client.findMachinesByName('ws-042')).map((m) => m.id)).toEqual([SIM.healthy.id]);
    expect(await client.findMachinesByName('ws-04')).toEqual([]);
    expect((await client.findMachinesByName('kiosk-lobby-01')).map((m) => m.id)).toEqual([
      SIM.shortNameOnly.id,
    ]);
    expect((await client.findMachinesByName('BÜRO-01')).map((m) => m.id)).toEqual([SIM.unicode.id]);
  });

  test.each([
    ["o'brien", "startswith(computerDnsName,'o''brien')"],
    ["'') or (1 eq 1", "startswith(computerDnsName,''''') or (1 eq 1')"],
    ['ws 042', "startswith(computerDnsName,'ws 042')"],
    ['100%', "startswith(computerDnsName,'100%')"],
    ['a/../b', "startswith(computerDnsName,'a/../b')"],
    ['a&$top=1', "startswith(computerDnsName,'a&$top=1')"],
    ['büro-01', "startswith(computerDnsName,'büro-01')"],
  ])('OData escaping: %j stays one literal in one query parameter', async (name, filter) => {
    const found = await client.findMachinesByName(name);
    expect(found.filter((m) => !m.computerDnsName.startsWith('büro'))).toEqual([]);
    const call = sim.calls.find((c) => c.operation === 'listMachines')!;
    expect(call.path).toBe('/api/machines');
    expect(call.status).toBe(200);
    expect([...new URLSearchParams(call.query)]).toEqual([['$filter', filter]]);
  });

  test('names with control characters or no text are refused locally', async () => {
    await expect(client.findMachinesByName('ws-042\r\nX-Evil: 1')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.findMachinesByName('   ')).rejects.toBeInstanceOf(InvalidInputError);
    expect(sim.calls).toHaveLength(0);
  });

  test('searchMachinesByPrefix: at most `top` suggestions, sent as $top', async () => {
    const found = await client.searchMachinesByPrefix('ws-00', 3);
    expect(found).toHaveLength(3);
    expect(found.every((m) => m.computerDnsName.startsWith('ws-00'))).toBe(true);
    expect(decodedQueries('listMachines')[0]).toBe("$filter=startswith(computerDnsName,'ws-00')&$top=3");
    await expect(client.searchMachinesByPrefix('ws', 0)).rejects.toBeInstanceOf(InvalidInputError);
  });

  test('listMachineActions (all pages), getMachineAction; unknown action → 404 NotFound', async () => {
    const a = await client.offboard(SIM.healthy.id, 'first');
    const b = await client.offboard(SIM.server.id, 'second');
    sim.calls.length = 0;
    const listed = await client.listMachineActions({ machineId: SIM.healthy.id, type: 'Offboard' });
    expect(listed.map((x) => x.id)).toEqual([a.action.id]);
    expect(decodedQueries('listActions')[0]).toBe(
      `$filter=machineId eq '${SIM.healthy.id}' and type eq 'Offboard'`,
    );
    const pending = await client.listMachineActions({
      machineId: SIM.server.id,
      statuses: ['Pending', 'InProgress'],
    });
    expect(pending.map((x) => x.id)).toEqual([b.action.id]);
    const got = await client.getMachineAction(b.action.id);
    expect(got).toMatchObject({
      id: b.action.id,
      type: 'Offboard',
      status: 'Pending',
      machineId: SIM.server.id,
    });
    const e = await expectDefenderError(
      client.getMachineAction('00000000-0000-4000-8000-000000000000'),
      DefenderErrorCode.NotFound,
    );
    expect(e.status).toBe(404);
    expect(e.chatMessage).toContain(`support reference: ${e.target}`);
    await expect(client.getMachineAction("x' or 1 eq 1")).rejects.toBeInstanceOf(InvalidInputError);
  });

  test('OsPlatformNotSupported (macOS, Linux) and ClientVersionNotSupported: typed, with the reference', async () => {
    for (const m of [SIM.mac, SIM.linux]) {
      const e = await expectDefenderError(
        client.offboard(m.id, 'leaver'),
        DefenderErrorCode.OsPlatformNotSupported,
      );
      expect(e).toMatchObject({ status: 400, defenderCode: 'OsPlatformNotSupported' });
      expect(e.target).toBeTruthy();
      expect(e.chatMessage).toMatch(/macOS and Linux/);
      expect(e.chatMessage).toContain(`(support reference: ${e.target})`);
    }
    await expectDefenderError(
      client.offboard(SIM.oldWindows.id, 'x'),
      DefenderErrorCode.ClientVersionNotSupported,
    );
    expect(sim.calls.filter((c) => c.operation === 'offboard')).toHaveLength(3); // 400s are not retried
  });

  test('401: the token is refreshed once, then a typed Unauthorized error', async () => {
    const strict = await startDefenderSimulator({ acceptToken: (t) => t === 'the-right-token' });
    try {
      const c = createDefenderClient({
        baseUrl: strict.url,
        tokenProvider: staticTokenProvider(TOKEN),
        limiter,
        logger: pino({ level: 'silent' }),
        timeoutMs: 2000,
      });
      const e = await expectDefenderError(c.getMachine(SIM.healthy.id), DefenderErrorCode.Unauthorized);
      expect(e.status).toBe(401);
      expect(strict.calls).toHaveLength(2);
      expect(e.message).not.toContain(TOKEN);
      expect(e.chatMessage).not.toContain(TOKEN);
    } finally {
      await strict.close();
    }
  });

  test('429 with Retry-After: the read waits it out, then succeeds', async () => {
    sim.setFaults({ storm429: { remaining: 1, retryAfterSeconds: 1 } });
    const m = await client.getMachine(SIM.healthy.id);
    expect(m?.id).toBe(SIM.healthy.id);
    const [first, second] = sim.calls;
    expect([first!.status, second!.status]).toEqual([429, 200]);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  test('429 storm longer than the policy allows: typed Throttled error with Retry-After', async () => {
    sim.setFaults({ storm429: { remaining: 50, retryAfterSeconds: 1 } });
    const c = createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider(TOKEN),
      limiter,
      logger: pino({ level: 'silent' }),
      timeoutMs: 2000,
      retry: { max429Attempts: 2, random: () => 0 },
    });
    const e = await expectDefenderError(c.getMachine(SIM.healthy.id), DefenderErrorCode.Throttled);
    expect(e.retryAfterMs).toBe(1000);
    expect(e.chatMessage).toMatch(/wait 1 s/);
    expect(sim.calls).toHaveLength(2);
  });

  test('500: reads are retried with backoff, then a typed ServerError', async () => {
    sim.setFaults({ errorRate: 1, errorOperations: ['getMachine'] });
    const e = await expectDefenderError(client.getMachine(SIM.healthy.id), DefenderErrorCode.ServerError);
    expect(e).toMatchObject({ status: 500, defenderCode: 'InternalServerError' });
    expect(sim.calls.map((c) => c.status)).toEqual([500, 500, 500, 500]);
  });

  test('a dropped connection on a read is retried', async () => {
    sim.setFaults({ dropConnection: 1 });
    expect((await client.getMachine(SIM.healthy.id))?.id).toBe(SIM.healthy.id);
    expect(sim.calls.map((c) => c.status)).toEqual([0, 200]);
  });

  test('a read that stalls past timeoutMs is aborted and retried', async () => {
    sim.setFaults({ stallMs: 1500, stallCount: 1 });
    const c = createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider(TOKEN),
      limiter,
      logger: pino({ level: 'silent' }),
      timeoutMs: 300,
      retry: { baseDelayMs: 5 },
    });
    expect((await c.getMachine(SIM.healthy.id))?.id).toBe(SIM.healthy.id);
    expect(sim.calls.filter((x) => x.operation === 'getMachine')).toHaveLength(2);
  });
});
