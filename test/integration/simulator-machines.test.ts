import { SIM, SIM_FLEET, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { api, names, withFilter } from '../fakes/defender-sim-client';
import { manualClock } from '../fakes/manual-clock';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let sim: DefenderSimulator;
beforeAll(async () => {
  sim = await startDefenderSimulator({ clock: manualClock() });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('seeded fleet', () => {
  it('has ~30 devices with 40-hex ids, the same ids and names as SIM_FLEET', () => {
    expect(sim.machines.length).toBeGreaterThanOrEqual(28);
    expect(sim.machines.map((m) => [m.id, m.computerDnsName])).toEqual(
      SIM_FLEET.map((m) => [m.id, m.computerDnsName]),
    );
    for (const m of sim.machines) expect(m.id).toMatch(/^[0-9a-f]{40}$/);
    expect(new Set(sim.machines.map((m) => m.id)).size).toBe(sim.machines.length);
  });

  it('names the devices tests rely on', () => {
    const byId = new Map(sim.machines.map((m) => [m.id, m]));
    expect(byId.get(SIM.healthy.id)).toMatchObject({
      computerDnsName: 'ws-042.contoso.local',
      healthStatus: 'Active',
    });
    expect(byId.get(SIM.inactive.id)?.healthStatus).toBe('Inactive');
    expect(byId.get(SIM.mac.id)?.osPlatform).toBe('macOS');
    expect(byId.get(SIM.linux.id)?.osPlatform).toBe('Linux');
    expect(byId.get(SIM.oldWindows.id)).toMatchObject({ osPlatform: 'Windows10', version: '1607' });
    expect(byId.get(SIM.server2016Unified.id)?.agentVersion).toMatch(/unified/i);
    expect(byId.get(SIM.shortNameOnly.id)?.computerDnsName).not.toContain('.');
    expect(SIM.duplicates.map((d) => d.name.split('.')[0])).toEqual([
      SIM.duplicateShortName,
      SIM.duplicateShortName,
    ]);
  });
});

describe('authentication', () => {
  it('answers 401 Unauthorized without a bearer token, on every /api path', async () => {
    for (const path of [
      '/api/machines',
      `/api/machines/${SIM.healthy.id}`,
      '/api/machineactions',
      '/api/nope',
    ]) {
      const r = await api(sim, path, { token: null });
      expect(r.status).toBe(401);
      expect(r.body.error?.code).toBe('Unauthorized');
      expect(r.body.error?.target).toMatch(GUID);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(sim.calls.map((c) => c.status)).toEqual([401, 401, 401, 401]);
  });

  it('uses acceptToken to reject tokens', async () => {
    const strict = await startDefenderSimulator({ acceptToken: (t) => t === 'good' });
    try {
      expect((await api(strict, '/api/machines', { token: 'bad' })).status).toBe(401);
      expect((await api(strict, '/api/machines', { token: 'good' })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('GET /api/machines/{id}', () => {
  it('returns the device with an @odata.context and no simulator-only fields', async () => {
    const r = await api(sim, `/api/machines/${SIM.stuckPending.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body).toMatchObject({
      '@odata.context': `${sim.url}/api/$metadata#Machines/$entity`,
      id: SIM.stuckPending.id,
      computerDnsName: SIM.stuckPending.name,
      onboardingStatus: 'Onboarded',
    });
    expect(r.body).not.toHaveProperty('sim');
  });

  it('matches paths and ids case-insensitively', async () => {
    const r = await api(sim, `/API/Machines/${SIM.healthy.id.toUpperCase()}`);
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(SIM.healthy.id);
  });

  it('answers 404 ResourceNotFound for an unknown id (and for a computer name)', async () => {
    for (const id of ['0'.repeat(40), SIM.healthy.name]) {
      const r = await api(sim, `/api/machines/${id}`);
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'ResourceNotFound', target: expect.stringMatching(GUID) });
    }
  });

  it('answers 404 NotFound for unknown paths and 405 for a wrong method', async () => {
    expect((await api(sim, '/api/devices')).body.error?.code).toBe('NotFound');
    const r = await api(sim, `/api/machines/${SIM.healthy.id}/offboard`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    expect(sim.calls.map((c) => c.operation)).toEqual(['unknown', 'unknown']);
  });
});

describe('GET /api/machines with $filter', () => {
  it('lists all devices in pages of 50 at most', async () => {
    const r = await api(sim, '/api/machines');
    expect(r.body['@odata.context']).toBe(`${sim.url}/api/$metadata#Machines`);
    expect(r.body.value).toHaveLength(sim.machines.length);
    expect(r.body['@odata.nextLink']).toBeUndefined();
  });

  it('matches computerDnsName case-insensitively', async () => {
    const r = await api(sim, withFilter('/api/machines', "computerDnsName eq 'WS-042.Contoso.Local'"));
    expect(r.status).toBe(200);
    expect(names(r)).toEqual([SIM.healthy.name]);
  });

  it('returns every device sharing a short name, never a guess', async () => {
    const r = await api(sim, withFilter('/api/machines', "startswith(computerDnsName,'fin-laptop-07.')"));
    expect(names(r)).toEqual(SIM.duplicates.map((d) => d.name));
    const prefix = await api(sim, withFilter('/api/machines', "startswith(computerDnsName,'ws-042')"));
    expect(names(prefix)).toEqual([SIM.healthy.name, SIM.prefixOfHealthy.name]);
  });

  it('finds the short-name-only device both by exact name and by prefix', async () => {
    const exact = await api(sim, withFilter('/api/machines', "computerDnsName eq 'kiosk-lobby-01'"));
    expect(names(exact)).toEqual([SIM.shortNameOnly.name]);
    const or = "computerDnsName eq 'kiosk-lobby-01' or startswith(computerDnsName,'kiosk-lobby-01.')";
    expect(names(await api(sim, withFilter('/api/machines', or)))).toEqual([SIM.shortNameOnly.name]);
  });

  it('handles unicode names and tolower()', async () => {
    const r = await api(
      sim,
      withFilter('/api/machines', "tolower(computerDnsName) eq 'büro-01.contoso.local'"),
    );
    expect(names(r)).toEqual([SIM.unicode.name]);
  });

  it("handles doubled quotes: 'o''brien' matches nothing; the tag O'Brien matches one device", async () => {
    const none = await api(sim, withFilter('/api/machines', "computerDnsName eq 'o''brien-pc'"));
    expect(none.status).toBe(200);
    expect(none.body.value).toEqual([]);
    const tag = await api(sim, withFilter('/api/machines', "machineTags/any(t: t eq 'O''Brien')"));
    expect(names(tag)).toEqual([SIM.apostropheTag.name]);
  });

  it('filters on id, osPlatform, healthStatus and combinations', async () => {
    expect(names(await api(sim, withFilter('/api/machines', `id eq '${SIM.mac.id}'`)))).toEqual([
      SIM.mac.name,
    ]);
    const inactive = await api(sim, withFilter('/api/machines', "healthStatus eq 'Inactive'"));
    expect(names(inactive)).toEqual([SIM.inactive.name]);
    const macs = await api(
      sim,
      withFilter('/api/machines', "osPlatform eq 'macOS' or osPlatform eq 'Linux'"),
    );
    expect(macs.body.value).toHaveLength(4);
    const both = await api(
      sim,
      withFilter('/api/machines', "(osPlatform eq 'Linux') and rbacGroupId eq 106"),
    );
    expect(both.body.value).toHaveLength(2);
  });

  it('answers 400 ODataError for a malformed filter (an unescaped quote)', async () => {
    const r = await api(sim, withFilter('/api/machines', "computerDnsName eq 'o'brien-pc'"));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'ODataError', target: expect.stringMatching(GUID) });
  });

  it('answers 400 with an empty code and details for an unknown property', async () => {
    const r = await api(sim, withFilter('/api/machines', "colour eq 'red'"));
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('');
    expect(r.body.error?.details?.[0]).toMatchObject({ code: 'ODataError' });
  });

  it('rejects bad $top and $skip with InvalidInput', async () => {
    for (const q of ['$top=-1', '$top=abc', '$skip=x', '$top=10001']) {
      const r = await api(sim, `/api/machines?${q}`);
      expect([q, r.status, r.body.error?.code]).toEqual([q, 400, 'InvalidInput']);
    }
  });
});

describe('paging', () => {
  it('honours $top and $skip and follows @odata.nextLink to the end', async () => {
    const small = await startDefenderSimulator({ pageSize: 7 });
    try {
      const seen: unknown[] = [];
      let next: string | undefined = withFilter('/api/machines', "startswith(computerDnsName,'ws-')");
      let pages = 0;
      while (next) {
        const r = await api(small, next);
        expect(r.status).toBe(200);
        seen.push(...names(r));
        next = r.body['@odata.nextLink'];
        if (next) expect(next.startsWith(`${small.url}/api/machines?`)).toBe(true);
        pages++;
      }
      const expected = small.machines.map((m) => m.computerDnsName).filter((n) => n.startsWith('ws-'));
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 7));

      const top = await api(small, '/api/machines?$top=10&$skip=3');
      expect(top.body.value).toHaveLength(7);
      const rest = await api(small, top.body['@odata.nextLink']!);
      expect(rest.body.value).toHaveLength(3);
      expect(rest.body['@odata.nextLink']).toBeUndefined();
      expect(names(rest)).toEqual(small.machines.slice(10, 13).map((m) => m.computerDnsName));
      expect((await api(small, '/api/machines?$top=0')).body.value).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
