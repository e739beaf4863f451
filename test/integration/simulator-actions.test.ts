import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { api, withFilter, type ApiResponse } from '../fakes/defender-sim-client';
import { manualClock, type ManualClock } from '../fakes/manual-clock';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let clock: ManualClock;
let sim: DefenderSimulator;
beforeAll(async () => {
  clock = manualClock();
  sim = await startDefenderSimulator({ clock, actionSeconds: 30 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setFaults({});
});

const offboard = (id: string, json: unknown = { Comment: 'Offboarded by test' }): Promise<ApiResponse> =>
  api(sim, `/api/machines/${id}/offboard`, { json });

const actionStatus = async (id: string): Promise<unknown> =>
  (await api(sim, `/api/machineactions/${id}`)).body.status;

describe('POST /api/machines/{id}/offboard', () => {
  it('creates a Pending Offboard action and answers 201 with the MachineAction', async () => {
    const created = clock.now();
    const r = await offboard(SIM.healthy.id);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      '@odata.context': `${sim.url}/api/$metadata#MachineActions/$entity`,
      id: expect.stringMatching(GUID),
      type: 'Offboard',
      status: 'Pending',
      machineId: SIM.healthy.id,
      computerDnsName: SIM.healthy.name,
      requestor: 'offboarder-app',
      requestorComment: 'Offboarded by test',
      requestSource: 'PublicApi',
      creationDateTimeUtc: new Date(created).toISOString(),
      lastUpdateDateTimeUtc: new Date(created).toISOString(),
      errorHResult: 0,
      cancellationRequestor: null,
      cancellationComment: null,
      cancellationDateTimeUtc: null,
      externalID: null,
      scope: null,
    });
    expect(sim.actions()).toHaveLength(1);
    expect(sim.calls[0]).toMatchObject({
      operation: 'offboard',
      status: 201,
      body: { Comment: 'Offboarded by test' },
    });
  });

  it('progresses Pending -> InProgress (at 1/3) -> Succeeded (at the end) on the clock', async () => {
    const t0 = clock.now();
    const id = String((await offboard(SIM.healthy.id)).body.id);
    expect(await actionStatus(id)).toBe('Pending');
    clock.advance(9_999);
    expect(await actionStatus(id)).toBe('Pending');
    clock.advance(1);
    const mid = await api(sim, `/api/machineactions/${id}`);
    expect(mid.body).toMatchObject({
      status: 'InProgress',
      lastUpdateDateTimeUtc: new Date(t0 + 10_000).toISOString(),
    });
    clock.advance(19_999);
    expect(await actionStatus(id)).toBe('InProgress');
    clock.advance(1);
    const done = await api(sim, `/api/machineactions/${id}`);
    expect(done.body).toMatchObject({
      status: 'Succeeded',
      lastUpdateDateTimeUtc: new Date(t0 + 30_000).toISOString(),
    });
    expect(sim.actions()[0]?.status).toBe('Succeeded');
  });

  it('with actionSeconds 0 the action is Succeeded on the next read', async () => {
    const quick = await startDefenderSimulator({ clock, actionSeconds: 0 });
    try {
      const r = await api(quick, `/api/machines/${SIM.healthy.id}/offboard`, { json: { Comment: 'x' } });
      expect(r.body.status).toBe('Pending');
      expect((await api(quick, `/api/machineactions/${String(r.body.id)}`)).body.status).toBe('Succeeded');
    } finally {
      await quick.close();
    }
  });

  it('keeps the stuck device Pending forever', async () => {
    const id = String((await offboard(SIM.stuckPending.id)).body.id);
    clock.advance(30 * 24 * 3600_000);
    expect(await actionStatus(id)).toBe('Pending');
  });

  it('refuses a duplicate while one is Pending or InProgress, allows a new one after it is final', async () => {
    expect((await offboard(SIM.server.id)).status).toBe(201);
    const dup = await offboard(SIM.server.id);
    expect(dup.status).toBe(400);
    expect(dup.body.error).toMatchObject({
      code: 'ActiveRequestAlreadyExists',
      message: 'Action is already in progress',
    });
    clock.advance(15_000);
    expect((await offboard(SIM.server.id)).body.error?.code).toBe('ActiveRequestAlreadyExists');
    clock.advance(15_000);
    expect((await offboard(SIM.server.id)).status).toBe(201);
  });

  it('can answer a duplicate with the existing action instead (duplicateReturnsExisting)', async () => {
    const first = await offboard(SIM.healthy.id);
    sim.setFaults({ duplicateReturnsExisting: true });
    const again = await offboard(SIM.healthy.id);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(sim.actions()).toHaveLength(1);
  });

  it.each([
    ['macOS', 'OsPlatformNotSupported', SIM.mac.id],
    ['Linux', 'OsPlatformNotSupported', SIM.linux.id],
    ['Server 2012 R2 without the unified agent', 'OsPlatformNotSupported', SIM.legacyServer2012.id],
    ['Windows 10 1607', 'ClientVersionNotSupported', SIM.oldWindows.id],
  ])('refuses %s with 400 %s', async (_label, code, id) => {
    const r = await offboard(id);
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe(code);
    expect(sim.actions()).toHaveLength(0);
  });

  it('accepts Server 2016 with the unified agent, the short-name and unicode devices', async () => {
    for (const d of [SIM.server2016Unified, SIM.shortNameOnly, SIM.unicode, SIM.inactive]) {
      const r = await offboard(d.id);
      expect([d.name, r.status, r.body.computerDnsName]).toEqual([d.name, 201, d.name]);
    }
  });

  it.each([
    ['no Comment', {}, 'MissingRequiredParameter'],
    ['a lower-case comment key', { comment: 'x' }, 'MissingRequiredParameter'],
    ['an empty Comment', { Comment: '' }, 'MissingRequiredParameter'],
    ['a non-string Comment', { Comment: 42 }, 'InvalidRequestBody'],
    ['an array body', [], 'InvalidRequestBody'],
  ])('answers 400 for %s', async (_label, json, code) => {
    const r = await offboard(SIM.healthy.id, json);
    expect([r.status, r.body.error?.code]).toEqual([400, code]);
  });

  it('answers 400 InvalidRequestBody for invalid JSON and 415 for a non-JSON content type', async () => {
    const path = `/api/machines/${SIM.healthy.id}/offboard`;
    const bad = await api(sim, path, { rawBody: '{"Comment": ' });
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'InvalidRequestBody']);
    const text = await api(sim, path, { rawBody: 'Comment=x', contentType: 'text/plain' });
    expect([text.status, text.body.error?.code]).toEqual([415, 'UnsupportedMediaType']);
    const none = await api(sim, path, { json: { Comment: 'x' }, contentType: null });
    expect(none.status).toBe(415);
    const charset = await api(sim, path, {
      json: { Comment: 'x' },
      contentType: 'application/json; charset=utf-8',
    });
    expect(charset.status).toBe(201);
    expect(sim.calls[1]?.body).toBe('Comment=x');
  });

  it('answers 404 ResourceNotFound for an unknown machine', async () => {
    const r = await offboard('f'.repeat(40));
    expect([r.status, r.body.error?.code]).toEqual([404, 'ResourceNotFound']);
  });

  it('takes requestor from a JWT upn/appid claim when there is one', async () => {
    const claims = Buffer.from(JSON.stringify({ appid: '11111111-2222-3333-4444-555555555555' })).toString(
      'base64url',
    );
    const r = await api(sim, `/api/machines/${SIM.healthy.id}/offboard`, {
      json: { Comment: 'x' },
      token: `eyJhbGciOiJub25lIn0.${claims}.sig`,
    });
    expect(r.body.requestor).toBe('11111111-2222-3333-4444-555555555555');
  });
});

describe('GET /api/machineactions', () => {
  it('filters on machineId, type, status, id and requestor', async () => {
    const a = String((await offboard(SIM.healthy.id)).body.id);
    clock.advance(60_000);
    const b = String((await offboard(SIM.server.id)).body.id);
    const ids = async (filter: string): Promise<unknown[]> =>
      ((await api(sim, withFilter('/api/machineactions', filter))).body.value ?? []).map((x) => x.id);
    expect(await ids(`machineId eq '${SIM.healthy.id}' and type eq 'Offboard'`)).toEqual([a]);
    expect(await ids("status eq 'Succeeded'")).toEqual([a]);
    expect(await ids("status eq 'Pending' or status eq 'InProgress'")).toEqual([b]);
    expect(await ids(`id eq '${b}'`)).toEqual([b]);
    expect(await ids("requestor eq 'offboarder-app'")).toEqual([a, b]);
    expect(await ids("type eq 'Isolate'")).toEqual([]);
    const bad = await api(sim, withFilter('/api/machineactions', 'status eq Pending'));
    expect(bad.status).toBe(400);
  });

  it('pages with @odata.nextLink', async () => {
    for (const d of [SIM.healthy, SIM.server, SIM.unicode, SIM.inactive, SIM.shortNameOnly])
      await offboard(d.id);
    const first = await api(sim, '/api/machineactions?$top=3');
    expect(first.body['@odata.context']).toBe(`${sim.url}/api/$metadata#MachineActions`);
    expect(first.body.value).toHaveLength(3);
    expect(first.body['@odata.nextLink']).toBeUndefined();
    const paged = await startDefenderSimulator({ clock, pageSize: 2 });
    try {
      for (const d of [SIM.healthy, SIM.server, SIM.unicode]) {
        await api(paged, `/api/machines/${d.id}/offboard`, { json: { Comment: 'x' } });
      }
      const p1 = await api(paged, withFilter('/api/machineactions', "type eq 'Offboard'"));
      expect(p1.body.value).toHaveLength(2);
      const p2 = await api(paged, p1.body['@odata.nextLink']!);
      expect(p2.body.value?.map((x) => x.computerDnsName)).toEqual([SIM.unicode.name]);
      expect(p2.body['@odata.nextLink']).toBeUndefined();
    } finally {
      await paged.close();
    }
  });

  it('answers 404 ResourceNotFound for an unknown action', async () => {
    const r = await api(sim, '/api/machineactions/00000000-0000-4000-8000-000000000000');
    expect([r.status, r.body.error?.code]).toEqual([404, 'ResourceNotFound']);
  });
});

describe('POST /api/machineactions/{id}/cancel', () => {
  it('cancels a non-final action and records who and why', async () => {
    const id = String((await offboard(SIM.stuckPending.id)).body.id);
    clock.advance(5_000);
    const r = await api(sim, `/api/machineactions/${id}/cancel`, {
      json: { Comment: 'Rejected by approver' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'Cancelled',
      cancellationRequestor: 'offboarder-app',
      cancellationComment: 'Rejected by approver',
      cancellationDateTimeUtc: new Date(clock.now()).toISOString(),
      lastUpdateDateTimeUtc: new Date(clock.now()).toISOString(),
    });
    clock.advance(60_000);
    expect(await actionStatus(id)).toBe('Cancelled');
    // A cancelled offboard is final, so a new one may be requested.
    expect((await offboard(SIM.stuckPending.id)).status).toBe(201);
  });

  it('refuses to cancel a final action, an unknown one, or without a Comment', async () => {
    const id = String((await offboard(SIM.healthy.id)).body.id);
    expect((await api(sim, `/api/machineactions/${id}/cancel`, { json: {} })).body.error?.code).toBe(
      'MissingRequiredParameter',
    );
    clock.advance(30_000);
    const final = await api(sim, `/api/machineactions/${id}/cancel`, { json: { Comment: 'x' } });
    expect([final.status, final.body.error?.code]).toEqual([400, 'BadRequest']);
    const unknown = await api(sim, '/api/machineactions/00000000-0000-4000-8000-000000000000/cancel', {
      json: { Comment: 'x' },
    });
    expect(unknown.status).toBe(404);
  });
});
