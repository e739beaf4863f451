import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { api, type ApiResponse } from '../fakes/defender-sim-client';
import { manualClock } from '../fakes/manual-clock';

let sim: DefenderSimulator;
const clock = manualClock();
beforeAll(async () => {
  sim = await startDefenderSimulator({ clock, actionSeconds: 3 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setFaults({});
});

const list = (): Promise<ApiResponse> => api(sim, '/api/machines?$top=1');
const offboard = (id: string = SIM.healthy.id): Promise<ApiResponse> =>
  api(sim, `/api/machines/${id}/offboard`, { json: { Comment: 'x' } });

describe('faults', () => {
  it('latencyMs delays every response', async () => {
    sim.setFaults({ latencyMs: 150 });
    const start = Date.now();
    expect((await api(sim, '/api/machines', { token: null })).status).toBe(401);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('errorRate 1 answers 500 InternalServerError before doing anything', async () => {
    sim.setFaults({ errorRate: 1 });
    const r = await offboard();
    expect([r.status, r.body.error?.code]).toEqual([500, 'InternalServerError']);
    expect(sim.actions()).toHaveLength(0);
  });

  it('errorOperations limits errors to the named operations', async () => {
    sim.setFaults({ errorRate: 1, errorOperations: ['offboard'] });
    expect((await list()).status).toBe(200);
    expect((await offboard()).status).toBe(500);
  });

  it('random errors are deterministic for a given seed', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startDefenderSimulator({ seed: 42, faults: { errorRate: 0.5 } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await api(s, '/api/machines?$top=1')).status);
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(2);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(2);
  });

  it('storm429 answers the next N calls with 429 and its Retry-After, without using budget', async () => {
    sim.setFaults({ storm429: { remaining: 2, retryAfterSeconds: 7 } });
    const [a, b, c] = [await list(), await list(), await list()];
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(a.body.error?.code).toBe('TooManyRequests');
    expect(sim.calls.map((x) => x.retryAfter)).toEqual([7, 7, undefined]);
  });

  it('createThenFail stores the action, then answers 500; a retry sees the duplicate', async () => {
    sim.setFaults({ createThenFail: 1 });
    const r = await offboard();
    expect(r.status).toBe(500);
    expect(sim.actions()).toMatchObject([{ machineId: SIM.healthy.id, status: 'Pending' }]);
    const retry = await offboard();
    expect(retry.body.error?.code).toBe('ActiveRequestAlreadyExists');
    // Counts only offboards that create: the next one on another device succeeds.
    expect((await offboard(SIM.server.id)).status).toBe(201);
  });

  it('dropConnection destroys the socket without an answer', async () => {
    sim.setFaults({ dropConnection: 1 });
    await expect(list()).rejects.toThrow();
    expect((await list()).status).toBe(200);
    expect(sim.calls.map((c) => c.status)).toEqual([0, 200]);
  });

  it('stallMs delays the next stallCount answers after doing the work', async () => {
    sim.setFaults({ stallMs: 400, stallCount: 1 });
    const path = `${sim.url}/api/machines/${SIM.healthy.id}/offboard`;
    const timedOut = fetch(path, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ Comment: 'x' }),
      signal: AbortSignal.timeout(100),
    });
    await expect(timedOut).rejects.toThrow();
    // The client gave up, but the offboard happened: exactly the case a client must handle.
    expect(sim.actions()).toHaveLength(1);
    const start = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - start).toBeLessThan(300);
  });

  it('failActions ends the offboard in Failed or TimeOut with a non-zero errorHResult', async () => {
    sim.setFaults({
      failActions: [
        { machineId: SIM.healthy.id, finalStatus: 'Failed' },
        { machineId: SIM.server.id, finalStatus: 'TimeOut' },
      ],
    });
    await offboard();
    await offboard(SIM.server.id);
    clock.advance(3_000);
    const [failed, timedOut] = sim.actions();
    expect(failed).toMatchObject({ status: 'Failed', errorHResult: expect.any(Number) });
    expect(failed?.errorHResult).not.toBe(0);
    expect(timedOut?.status).toBe('TimeOut');
  });

  it('setFaults replaces the previous faults', async () => {
    sim.setFaults({ storm429: { remaining: 5, retryAfterSeconds: 1 } });
    expect((await list()).status).toBe(429);
    sim.setFaults({});
    expect((await list()).status).toBe(200);
  });
});

describe('lifecycle and call log', () => {
  it('logs every request in arrival order, rejected ones included', async () => {
    await list();
    await api(sim, '/api/machines', { token: null });
    await offboard(SIM.mac.id);
    expect(sim.calls).toEqual([
      {
        at: clock.now(),
        method: 'GET',
        path: '/api/machines',
        query: '$top=1',
        operation: 'listMachines',
        status: 200,
      },
      {
        at: clock.now(),
        method: 'GET',
        path: '/api/machines',
        query: '',
        operation: 'listMachines',
        status: 401,
      },
      {
        at: clock.now(),
        method: 'POST',
        path: `/api/machines/${SIM.mac.id}/offboard`,
        query: '',
        operation: 'offboard',
        status: 400,
        body: { Comment: 'x' },
      },
    ]);
  });

  it('reset() clears the call log and the actions', async () => {
    await offboard();
    sim.reset();
    expect(sim.calls).toEqual([]);
    expect(sim.actions()).toEqual([]);
    expect((await offboard()).status).toBe(201);
  });

  it('ids and correlation ids are deterministic for a seed', async () => {
    const run = async (): Promise<unknown[]> => {
      const s = await startDefenderSimulator({ seed: 7, clock });
      try {
        const a = await api(s, `/api/machines/${SIM.healthy.id}/offboard`, { json: { Comment: 'x' } });
        const e = await api(s, '/api/machines/nope');
        return [a.body.id, e.body.error?.target];
      } finally {
        await s.close();
      }
    };
    expect(await run()).toEqual(await run());
  });

  it('close() is prompt even with a stalled request and keep-alive sockets', async () => {
    const s = await startDefenderSimulator({ faults: { stallMs: 60_000 } });
    const stalled = api(s, '/api/machines');
    stalled.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const start = Date.now();
    await s.close();
    expect(Date.now() - start).toBeLessThan(1000);
    await expect(stalled).rejects.toThrow();
    await expect(api(s, '/api/machines')).rejects.toThrow();
  });

  it('binds loopback only and reports its url and port', async () => {
    await expect(startDefenderSimulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  });
});
