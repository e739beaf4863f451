import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { api, type ApiResponse } from '../fakes/defender-sim-client';
import { manualClock, type ManualClock } from '../fakes/manual-clock';

// Defender allows 100 calls per minute and 1,500 per hour, per operation
// (docs/defender-api.md). Small limits keep these tests quick; one test uses the defaults.
let clock: ManualClock;
let sim: DefenderSimulator;
beforeEach(async () => {
  clock = manualClock();
  sim = await startDefenderSimulator({ clock, limits: { perMinute: 3, perHour: 5 } });
});
afterEach(() => sim.close());

const list = (): Promise<ApiResponse> => api(sim, '/api/machines?$top=1');
const statuses = async (n: number, call = list): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call()).status);
  return out;
};

describe('rate limits', () => {
  it('answers 429 TooManyRequests with Retry-After once the minute window is full', async () => {
    expect(await statuses(3)).toEqual([200, 200, 200]);
    const r = await list();
    expect(r.status).toBe(429);
    expect(r.body.error?.code).toBe('TooManyRequests');
    expect(r.headers.get('retry-after')).toBe('60');
    expect(sim.calls.at(-1)).toMatchObject({ status: 429, retryAfter: 60, operation: 'listMachines' });
  });

  it('computes Retry-After as the time until a slot frees (rounded up, at least 1)', async () => {
    for (const step of [0, 10_000, 10_000]) {
      clock.advance(step);
      expect((await list()).status).toBe(200);
    }
    clock.advance(10_000); // t0 + 30 s: the t0 call leaves the window at t0 + 60 s
    expect((await list()).headers.get('retry-after')).toBe('30');
    clock.advance(29_500);
    expect((await list()).headers.get('retry-after')).toBe('1');
    clock.advance(500);
    expect((await list()).status).toBe(200);
  });

  it('enforces the hour window too, with its own Retry-After', async () => {
    const t0 = clock.now();
    expect(await statuses(3)).toEqual([200, 200, 200]);
    clock.set(t0 + 60_000);
    expect(await statuses(2)).toEqual([200, 200]);
    const r = await list();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe(String(3600 - 60));
    clock.set(t0 + 3_599_999);
    expect((await list()).headers.get('retry-after')).toBe('1');
    // The three t0 calls have left the hour; the two at t0 + 1 min leave room for three more.
    clock.set(t0 + 3_600_000);
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
  });

  it('does not count a 429 against the budget', async () => {
    expect(await statuses(10)).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    clock.advance(60_000);
    expect(await statuses(2)).toEqual([200, 200]);
  });

  it('keeps a separate budget per operation', async () => {
    await statuses(4);
    const get = (): Promise<ApiResponse> => api(sim, `/api/machines/${SIM.healthy.id}`);
    expect(await statuses(3, get)).toEqual([200, 200, 200]);
    const off = await api(sim, `/api/machines/${SIM.healthy.id}/offboard`, { json: { Comment: 'x' } });
    expect(off.status).toBe(201);
  });

  it('does not count 401s, and reset() clears the windows', async () => {
    await api(sim, '/api/machines', { token: null });
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
    sim.reset();
    expect(await statuses(1)).toEqual([200]);
  });

  it('defaults to 100 calls per minute', async () => {
    const dflt = await startDefenderSimulator({ clock });
    try {
      const call = (): Promise<ApiResponse> => api(dflt, '/api/machineactions');
      const got = await statuses(101, call);
      expect(got.filter((s) => s === 200)).toHaveLength(100);
      expect(got[100]).toBe(429);
    } finally {
      await dflt.close();
    }
  });
});
