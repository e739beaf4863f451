import pino from 'pino';
import { createDefenderClient, type DefenderClient } from '../../bot/defender/client';
import { DefenderError, DefenderErrorCode } from '../../bot/defender/defender-error';
import { InvalidInputError } from '../../bot/defender/odata';
import { createRateLimiter, type RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';
import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';

/** Exactly-once offboarding (and cancelling) against the simulator's faults. */

const FAST = { perMinute: 6000, perHour: 100_000 };

describe('offboard: exactly once', () => {
  let sim: DefenderSimulator;
  let limiter: RateLimiter;
  let client: DefenderClient;

  const posts = () => sim.calls.filter((c) => c.operation === 'offboard');
  const actionsOf = (machineId: string) => sim.actions().filter((a) => a.machineId === machineId);

  beforeAll(async () => {
    sim = await startDefenderSimulator({ limits: FAST });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    sim.setFaults({});
    limiter = createRateLimiter(FAST);
    client = createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider('sandbox'),
      limiter,
      logger: pino({ level: 'silent' }),
      timeoutMs: 500,
      retry: { baseDelayMs: 5, random: () => 0.5 },
    });
  });
  afterEach(() => limiter.stop());

  test('happy path: one POST with {"Comment"}, 201 accepted, recovered false', async () => {
    const r = await client.offboard(SIM.healthy.id, '  Leaver: J. Doe (HR-1234)  ');
    expect(r.recovered).toBe(false);
    expect(r.action).toMatchObject({ type: 'Offboard', status: 'Pending', machineId: SIM.healthy.id });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.body).toEqual({ Comment: 'Leaver: J. Doe (HR-1234)' });
    expect(posts()[0]!.status).toBe(201);
  });

  test('an Offboard already pending on the machine is returned; nothing is POSTed', async () => {
    const first = await client.offboard(SIM.healthy.id, 'first');
    sim.calls.length = 0;
    const again = await client.offboard(SIM.healthy.id, 'second');
    expect(again).toEqual({ action: expect.objectContaining({ id: first.action.id }), recovered: true });
    expect(posts()).toHaveLength(0);
  });

  test('400 ActiveRequestAlreadyExists → the pending action, recovered', async () => {
    const first = await client.offboard(SIM.healthy.id, 'first');
    const again = await client.offboard(SIM.healthy.id, 'second', { skipPendingCheck: true });
    expect(again.recovered).toBe(true);
    expect(again.action.id).toBe(first.action.id);
    expect(posts().map((c) => c.status)).toEqual([201, 400]);
    expect(actionsOf(SIM.healthy.id)).toHaveLength(1);
  });

  test('the other documented behaviour: 200 with the existing action → returned, recovered', async () => {
    sim.setFaults({ duplicateReturnsExisting: true });
    const first = await client.offboard(SIM.healthy.id, 'first');
    const again = await client.offboard(SIM.healthy.id, 'second', { skipPendingCheck: true });
    expect(again).toEqual({ action: expect.objectContaining({ id: first.action.id }), recovered: true });
    expect(posts().map((c) => c.status)).toEqual([201, 200]);
  });

  test('500 after the action was created (createThenFail): found, never POSTed again', async () => {
    sim.setFaults({ createThenFail: 1 });
    const r = await client.offboard(SIM.healthy.id, 'leaver');
    expect(r.recovered).toBe(true);
    expect(posts().map((c) => c.status)).toEqual([500]);
    expect(actionsOf(SIM.healthy.id)).toHaveLength(1);
    expect(r.action.id).toBe(actionsOf(SIM.healthy.id)[0]!.id);
    // Looked first (pending check), then looked again after the 500.
    expect(sim.calls.map((c) => c.operation)).toEqual(['listActions', 'offboard', 'listActions']);
  });

  test('timeout after the action was created (stall): found, never POSTed again', async () => {
    sim.setFaults({ stallMs: 1500, stallCount: 2 }); // the POST and the first look-up answer too late
    const c = createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider('sandbox'),
      limiter,
      logger: pino({ level: 'silent' }),
      timeoutMs: 300,
      retry: { baseDelayMs: 5 },
    });
    const r = await c.offboard(SIM.healthy.id, 'leaver', { skipPendingCheck: true });
    expect(r.recovered).toBe(true);
    expect(posts()).toHaveLength(1);
    expect(actionsOf(SIM.healthy.id)).toHaveLength(1);
  });

  test('a dropped connection before anything happened: looked, found nothing, POSTed once more', async () => {
    sim.setFaults({ dropConnection: 1 });
    const r = await client.offboard(SIM.healthy.id, 'leaver', { skipPendingCheck: true });
    expect(r.recovered).toBe(false);
    expect(posts().map((c) => c.status)).toEqual([0, 201]);
    expect(sim.calls.map((c) => c.operation)).toEqual(['offboard', 'listActions', 'offboard']);
    expect(actionsOf(SIM.healthy.id)).toHaveLength(1);
  });

  test('429 on the POST: retried after Retry-After (nothing was done)', async () => {
    sim.setFaults({ storm429: { remaining: 1, retryAfterSeconds: 1 } });
    const r = await client.offboard(SIM.healthy.id, 'leaver', { skipPendingCheck: true });
    expect(r.recovered).toBe(false);
    const [first, second] = posts();
    expect([first!.status, second!.status]).toEqual([429, 201]);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(sim.calls.filter((c) => c.operation === 'listActions')).toHaveLength(0); // no look-up needed
  });

  test('500 and the look-up fails too: OutcomeUnknown, and still only one POST', async () => {
    sim.setFaults({ createThenFail: 1, errorRate: 1, errorOperations: ['listActions'] });
    const e = (await client
      .offboard(SIM.healthy.id, 'leaver', { skipPendingCheck: true })
      .catch((x) => x)) as DefenderError;
    expect(e).toBeInstanceOf(DefenderError);
    expect(e.code).toBe(DefenderErrorCode.OutcomeUnknown);
    expect(e.chatMessage).toMatch(/could not confirm/);
    expect(posts()).toHaveLength(1);
  });

  test('server errors with nothing created: bounded attempts, each one looked up first', async () => {
    sim.setFaults({ errorRate: 1, errorOperations: ['offboard'] });
    const e = (await client.offboard(SIM.healthy.id, 'leaver').catch((x) => x)) as DefenderError;
    expect(e.code).toBe(DefenderErrorCode.ServerError);
    expect(posts()).toHaveLength(4);
    expect(sim.calls.filter((c) => c.operation === 'listActions')).toHaveLength(5); // 1 check + 4 look-ups
    expect(actionsOf(SIM.healthy.id)).toHaveLength(0);
  });

  test('the comment is validated before anything is sent', async () => {
    await expect(client.offboard(SIM.healthy.id, '   ')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.offboard(SIM.healthy.id, 'a\u0000b')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.offboard('not-an-id', 'x')).rejects.toBeInstanceOf(InvalidInputError);
    expect(sim.calls).toHaveLength(0);
  });

  test('onQueued reports position and ETA when the offboard budget is exhausted', async () => {
    const slow = createRateLimiter({ perMinute: 1, perHour: 1000 }); // the second waits 61 s
    try {
      const c = createDefenderClient({
        baseUrl: sim.url,
        tokenProvider: staticTokenProvider('sandbox'),
        limiter: slow,
        logger: pino({ level: 'silent' }),
        timeoutMs: 2000,
      });
      const infos: Array<{ position: number; waitMs: number }> = [];
      const [first, second] = [SIM.healthy.id, SIM.server.id].map((id) =>
        c.offboard(id, 'x', { skipPendingCheck: true, onQueued: (i) => infos.push(i) }),
      );
      expect((await first!).recovered).toBe(false);
      expect(infos).toEqual([expect.objectContaining({ position: 1 })]);
      expect(infos[0]!.waitMs).toBeGreaterThan(59_000);
      await slow.stop(); // drops the queued call: it never reaches Defender
      await expect(second).rejects.toThrow('stopped');
      expect(posts()).toHaveLength(1);
    } finally {
      await slow.stop();
    }
  });

  test('cancelMachineAction: cancels a pending offboard; a final one is a typed 400', async () => {
    const { action } = await client.offboard(SIM.stuckPending.id, 'leaver');
    const cancelled = await client.cancelMachineAction(action.id, 'approved by mistake');
    expect(cancelled).toMatchObject({
      id: action.id,
      status: 'Cancelled',
      cancellationComment: 'approved by mistake',
    });
    expect(sim.calls.filter((c) => c.operation === 'cancelAction')[0]!.body).toEqual({
      Comment: 'approved by mistake',
    });
    const e = (await client.cancelMachineAction(action.id, 'again').catch((x) => x)) as DefenderError;
    expect(e).toMatchObject({ code: DefenderErrorCode.BadRequest, status: 400 });
  });

  test('cancel after a dropped connection: the action is read first, then cancelled once', async () => {
    const { action } = await client.offboard(SIM.stuckPending.id, 'leaver');
    sim.setFaults({ dropConnection: 1 });
    const r = await client.cancelMachineAction(action.id, 'oops');
    expect(r.status).toBe('Cancelled');
    expect(sim.calls.filter((c) => c.operation === 'cancelAction').map((c) => c.status)).toEqual([0, 200]);
  });
});
