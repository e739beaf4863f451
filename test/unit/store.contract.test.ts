import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryEntry, OffboardRequest, RequestState } from '../../bot/request/model';
import {
  createMemoryStore,
  DATABASE_FILE,
  DeviceBusyError,
  fencedStore,
  HistoryRewriteError,
  LeaseLostError,
  openSqliteStore,
  RequestNotFoundError,
  StoreConflictError,
  StoreUnavailableError,
  type RequestStore,
} from '../../bot/store';
import { openPostgresStore } from '../../bot/store/postgres';
import { startPostgres, type PostgresServer } from '../support/postgres-server';

/**
 * One contract, three implementations: the in-memory store used by unit tests must
 * behave exactly like the durable ones, SQLite (one instance) and PostgreSQL (several).
 * PostgreSQL runs on a throwaway server this file starts, one fresh database per test.
 */
const MACHINE = 'a'.repeat(40);

function entry(event: HistoryEntry['event'], at: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { at, event, actor: 'system', ...extra };
}

function request(id: string, overrides: Partial<OffboardRequest> = {}): OffboardRequest {
  const createdAt = overrides.createdAt ?? '2025-01-01T10:00:00.000Z';
  const machineId = overrides.targets?.[0]?.machineId ?? MACHINE;
  return {
    id,
    version: 0,
    tenantId: 'tenant-1',
    state: 'draft',
    requester: { aadObjectId: 'u-1', name: 'Ann' },
    approvalsRequired: 1,
    approvals: [],
    createdAt,
    updatedAt: createdAt,
    expiresAt: '2025-01-02T10:00:00.000Z',
    conversation: { conversationId: 'conv-1', reference: { channelId: 'msteams' } },
    targets: [
      {
        machineId,
        computerDnsName: 'ws-042.contoso.com',
        machine: { id: machineId, computerDnsName: 'ws-042.contoso.com', machineTags: [] },
        execution: {},
      },
    ],
    history: [entry('created', createdAt, { actor: 'u-1', actorName: 'Ann', conversationId: 'conv-1' })],
    ...overrides,
  };
}

/**
 * The message a promise rejects with ('' when it resolves). better-sqlite3's native
 * part keeps the error class of the first test file that loaded it in this worker, so
 * its errors are not `instanceof Error` here and jest's `toThrow` would miss them.
 */
const failure = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => '',
    (e: unknown) => String((e as { message?: unknown })?.message ?? e),
  );

/** Targets on another device: at most one active request per device. */
function onDevice(hexDigit: string): Pick<OffboardRequest, 'targets'> {
  return { targets: [{ ...request('x').targets[0]!, machineId: hexDigit.repeat(40) }] };
}

interface Harness {
  store: RequestStore;
  /** A second handle on the same data (sqlite: another connection, postgres: another pool); undefined for memory. */
  reopen?: () => Promise<RequestStore>;
}

/** A durable engine, with raw SQL that bypasses the store's own rules. */
interface DurableHarness {
  store: RequestStore;
  reopen: () => Promise<RequestStore>;
  exec: (sql: string) => Promise<unknown>;
}

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

const dirs: string[] = [];
const stores: RequestStore[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offboarder-store-'));
  dirs.push(dir);
  return dir;
}
function track<S extends RequestStore>(store: S): S {
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const durable: Array<[string, () => Promise<DurableHarness>]> = [
  [
    'sqlite',
    async () => {
      const dataDir = tempDir();
      const store = track(openSqliteStore({ dataDir }));
      return {
        store,
        reopen: async () => track(openSqliteStore({ dataDir })),
        // Raw SQL from a connection of its own, as a person with the file would have.
        exec: async (sql) => {
          const raw = new Database(path.join(dataDir, DATABASE_FILE));
          try {
            return raw.prepare(sql).run();
          } finally {
            raw.close();
          }
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const databaseUrl = await pg.createDatabase();
      const store = track(await openPostgresStore({ databaseUrl }));
      return {
        store,
        reopen: async () => track(await openPostgresStore({ databaseUrl })),
        exec: (sql) => store.pool.query(sql),
      };
    },
  ],
];

const implementations: Array<[string, () => Promise<Harness>]> = [
  ['memory', async () => ({ store: track(createMemoryStore()) })],
  ...durable,
];

describe.each(implementations)('RequestStore contract: %s', (_name, makeHarness) => {
  let store: RequestStore;
  let harness: Harness;
  beforeEach(async () => {
    harness = await makeHarness();
    store = harness.store;
  });

  it('creates with version 1 and reads back an equal copy', async () => {
    const created = await store.create(request('OFB-00000001', { version: 7 }));
    expect(created.version).toBe(1);
    expect(await store.get('OFB-00000001')).toEqual(created);
    expect(await store.get('OFB-NOPE0000')).toBeUndefined();
  });

  it('refuses a second create with the same id', async () => {
    await store.create(request('OFB-00000001'));
    await expect(store.create(request('OFB-00000001'))).rejects.toBeInstanceOf(StoreConflictError);
  });

  it('copies on the way in and out: callers cannot change stored state', async () => {
    const input = request('OFB-00000001');
    const created = await store.create(input);
    input.state = 'completed';
    created.history.push(entry('approved', 'x'));
    const read = await store.get('OFB-00000001');
    read!.targets[0]!.machine.machineTags.push('tampered');
    const again = await store.get('OFB-00000001');
    expect(again!.state).toBe('draft');
    expect(again!.history).toHaveLength(1);
    expect(again!.targets[0]!.machine.machineTags).toEqual([]);
  });

  it('bumps the version on every update and stores the change', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    const v2 = await store.update({ ...v1, state: 'awaiting_approval', comment: 'left' });
    expect(v2.version).toBe(2);
    const v3 = await store.update({ ...v2, comment: 'left the company' });
    expect(v3.version).toBe(3);
    expect(await store.get('OFB-00000001')).toEqual(v3);
  });

  it('rejects an update from a stale version', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    await store.update({ ...v1, comment: 'first' });
    await expect(store.update({ ...v1, comment: 'second' })).rejects.toBeInstanceOf(StoreConflictError);
    expect((await store.get('OFB-00000001'))!.comment).toBe('first');
  });

  it('lets exactly one of two writers with the same version win', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    const other = (await harness.reopen?.()) ?? store;
    const results = await Promise.allSettled([
      store.update({ ...v1, state: 'awaiting_approval', history: [...v1.history, entry('submitted', 't1')] }),
      other.update({ ...v1, state: 'cancelled', history: [...v1.history, entry('cancelled', 't1')] }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(StoreConflictError);
    const stored = await store.get('OFB-00000001');
    expect(stored!.version).toBe(2);
    expect((await store.audit()).map((a) => a.event)).toEqual(['created', stored!.history[1]!.event]);
  });

  it('refuses to update a request that does not exist', async () => {
    await expect(store.update(request('OFB-00000009', { version: 1 }))).rejects.toBeInstanceOf(
      RequestNotFoundError,
    );
  });

  it.each([
    ['dropped', (h: HistoryEntry[]) => h.slice(1)],
    ['changed', (h: HistoryEntry[]) => [{ ...h[0]!, actor: 'mallory' }, ...h.slice(1)]],
    ['reordered', (h: HistoryEntry[]) => [h[1]!, h[0]!]],
  ])('refuses a history with stored entries %s, and writes nothing', async (_, rewrite) => {
    const v1 = await store.create(request('OFB-00000001'));
    const v2 = await store.update({
      ...v1,
      history: [...v1.history, entry('comment_set', '2025-01-01T10:01:00.000Z')],
    });
    await expect(
      store.update({ ...v2, state: 'cancelled', history: rewrite(v2.history) }),
    ).rejects.toBeInstanceOf(HistoryRewriteError);
    expect(await store.get('OFB-00000001')).toEqual(v2);
    expect(await store.audit()).toHaveLength(2);
  });

  it('accepts a stored history whose entries differ only in key order or undefined fields', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    const [first] = v1.history;
    const reordered = {
      conversationId: first!.conversationId,
      actorName: first!.actorName,
      detail: undefined,
      actor: first!.actor,
      event: first!.event,
      at: first!.at,
    };
    await expect(store.update({ ...v1, history: [reordered] })).resolves.toMatchObject({ version: 2 });
  });

  it('appends new history to the audit trail in order, with the request id', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    await store.create(request('OFB-00000002', { createdAt: '2025-01-01T11:00:00.000Z', ...onDevice('b') }));
    const detail = { approvals: 1, final: false, note: 'ok' };
    await store.update({
      ...v1,
      history: [
        ...v1.history,
        entry('approved', '2025-01-01T12:00:00.000Z', { actor: 'u-2', actorName: 'Bo', detail }),
      ],
    });
    const audit = await store.audit();
    expect(audit.map((a) => [a.requestId, a.event])).toEqual([
      ['OFB-00000001', 'created'],
      ['OFB-00000002', 'created'],
      ['OFB-00000001', 'approved'],
    ]);
    expect(audit.map((a) => a.seq)).toEqual([...audit.map((a) => a.seq)].sort((a, b) => a - b));
    expect(new Set(audit.map((a) => a.seq)).size).toBe(3);
    expect(audit[0]).toEqual({
      seq: audit[0]!.seq,
      requestId: 'OFB-00000001',
      at: '2025-01-01T10:00:00.000Z',
      event: 'created',
      actor: 'u-1',
      actorName: 'Ann',
      conversationId: 'conv-1',
    });
    expect(audit[2]).toMatchObject({ actor: 'u-2', actorName: 'Bo', detail });
    expect(audit[2]).not.toHaveProperty('conversationId');
  });

  it('filters the audit trail by time, inclusive of since', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    await store.update({
      ...v1,
      history: [
        ...v1.history,
        entry('submitted', '2025-01-01T10:05:00.000Z'),
        entry('approved', '2025-01-01T10:09:00.000Z'),
      ],
    });
    const since = await store.audit({ since: '2025-01-01T10:05:00.000Z' });
    expect(since.map((a) => a.event)).toEqual(['submitted', 'approved']);
    expect(await store.audit({ since: '2026-01-01T00:00:00.000Z' })).toEqual([]);
  });

  it('lists by state, oldest first, ties in creation order', async () => {
    const at = (h: number): string => `2025-01-01T${String(h).padStart(2, '0')}:00:00.000Z`;
    await store.create(
      request('OFB-0000000C', { createdAt: at(12), state: 'awaiting_approval', ...onDevice('c') }),
    );
    await store.create(request('OFB-0000000A', { createdAt: at(10), ...onDevice('d') }));
    await store.create(request('OFB-0000000D', { createdAt: at(12), state: 'executing', ...onDevice('e') }));
    await store.create(request('OFB-0000000B', { createdAt: at(11), state: 'completed' }));
    const ids = async (states: readonly RequestState[]): Promise<string[]> =>
      (await store.listByState(states)).map((r) => r.id);
    expect(await ids(['draft', 'awaiting_approval', 'executing'])).toEqual([
      'OFB-0000000A',
      'OFB-0000000C',
      'OFB-0000000D',
    ]);
    expect(await ids(['completed'])).toEqual(['OFB-0000000B']);
    expect(await ids([])).toEqual([]);
  });

  it('lists by state only what changed since a time, when asked', async () => {
    const at = (h: number): string => `2025-01-01T${String(h).padStart(2, '0')}:00:00.000Z`;
    await store.create(request('OFB-0000000A', { createdAt: at(1), updatedAt: at(1), state: 'completed' }));
    await store.create(request('OFB-0000000B', { createdAt: at(2), updatedAt: at(5), state: 'completed' }));
    const since = async (iso: string) =>
      (await store.listByState(['completed'], { updatedSince: iso })).map((r) => r.id);
    expect(await since(at(0))).toEqual(['OFB-0000000A', 'OFB-0000000B']);
    expect(await since(at(5))).toEqual(['OFB-0000000B']);
    expect(await since(at(6))).toEqual([]);
  });

  // At most one active request per device (see the DeviceBusyError cases below), so a
  // machine lists at most one: a second active request comes after the first moved away.
  it('lists active requests for a machine, following state and target changes', async () => {
    const other = 'b'.repeat(40);
    const v1 = await store.create(request('OFB-00000001'));
    await store.create(request('OFB-00000002', { state: 'completed' }));
    const ids = async (m: string): Promise<string[]> =>
      (await store.listActiveForMachine(m)).map((r) => r.id);
    expect(await ids(MACHINE)).toEqual(['OFB-00000001']);
    expect(await ids(MACHINE.toUpperCase())).toEqual(['OFB-00000001']);
    expect(await ids(other)).toEqual([]);
    const moved = request('OFB-00000001', { targets: [{ ...v1.targets[0]!, machineId: other }] });
    await store.update({ ...moved, version: 1 });
    expect(await ids(MACHINE)).toEqual([]);
    expect(await ids(other)).toEqual(['OFB-00000001']);
    await store.create(request('OFB-00000003', { createdAt: '2025-01-01T09:00:00.000Z', state: 'tracking' }));
    expect(await ids(MACHINE)).toEqual(['OFB-00000003']);
    await store.update({ ...(await store.get('OFB-00000001'))!, state: 'rejected' });
    expect(await ids(other)).toEqual([]);
  });

  it('refuses a second active request for a device, naming the device and the request holding it', async () => {
    await store.create(request('OFB-00000001', { state: 'awaiting_approval' }));
    await store.create(request('OFB-00000002', { state: 'completed' }));
    const upper = request('OFB-00000003', {
      targets: [{ ...request('x').targets[0]!, machineId: MACHINE.toUpperCase() }],
    });
    const err = await store.create(upper).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeviceBusyError);
    expect(err).toMatchObject({ code: 'device_busy', machineId: MACHINE, activeRequestId: 'OFB-00000001' });
    expect(await store.get('OFB-00000003')).toBeUndefined();
    expect((await store.audit()).map((a) => a.requestId)).toEqual(['OFB-00000001', 'OFB-00000002']);
  });

  it('frees the device when its request leaves the active states', async () => {
    const v1 = await store.create(request('OFB-00000001', { state: 'executing' }));
    await expect(store.create(request('OFB-00000002'))).rejects.toBeInstanceOf(DeviceBusyError);
    await store.update({ ...v1, state: 'failed' });
    await expect(store.create(request('OFB-00000002'))).resolves.toMatchObject({ version: 1 });
    expect((await store.listActiveForMachine(MACHINE)).map((r) => r.id)).toEqual(['OFB-00000002']);
  });

  it('refuses an update that would give a device a second active request, and writes nothing', async () => {
    const other = 'b'.repeat(40);
    await store.create(request('OFB-00000001'));
    const v2 = await store.create(
      request('OFB-00000002', { targets: [{ ...request('x').targets[0]!, machineId: other }] }),
    );
    const onto = { ...v2, targets: [{ ...v2.targets[0]!, machineId: MACHINE }] };
    await expect(store.update(onto)).rejects.toMatchObject({
      machineId: MACHINE,
      activeRequestId: 'OFB-00000001',
    });
    expect(await store.get('OFB-00000002')).toEqual(v2);
    expect((await store.listActiveForMachine(other)).map((r) => r.id)).toEqual(['OFB-00000002']);
  });

  it('lets exactly one of two concurrent creates for the same device win', async () => {
    const other = (await harness.reopen?.()) ?? store;
    const results = await Promise.allSettled([
      store.create(request('OFB-00000001')),
      other.create(request('OFB-00000002')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => r.reason)).toEqual([expect.any(DeviceBusyError)]);
    expect(await store.listActiveForMachine(MACHINE)).toHaveLength(1);
    expect(await store.audit()).toHaveLength(1);
  });

  it('makes a non-durable write the same compare-and-set, fenced when asked', async () => {
    const v1 = await store.create(request('OFB-00000001'));
    const v2 = await store.update({ ...v1, comment: 'shown' }, { durable: false });
    expect(v2.version).toBe(2);
    expect(await store.get('OFB-00000001')).toEqual(v2);
    await expect(store.update({ ...v1, comment: 'stale' }, { durable: false })).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    const held = (await store.acquireLease('OFB-00000001', 'a', 60_000))!;
    await store.releaseLease(held);
    await store.acquireLease('OFB-00000001', 'b', 60_000);
    await expect(
      fencedStore(store, held).update({ ...v2, comment: 'late' }, { durable: false }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect((await store.get('OFB-00000001'))!.comment).toBe('shown');
  });

  describe('what the maintenance sweep looks up by index', () => {
    const at = (h: number): string => `2025-01-01T${String(h).padStart(2, '0')}:00:00.000Z`;
    const ids = (rs: OffboardRequest[]) => rs.map((r) => r.id);
    /** The write that records the card as shown: delivery's own, one version ahead. */
    const shown = (r: OffboardRequest, extra: Partial<OffboardRequest> = {}) =>
      store.update({
        ...r,
        ...extra,
        delivery: { ...r.delivery, ...extra.delivery, cardShownVersion: r.version + 1 },
      });

    it('lists requests owing Teams a card update or the final notice, following every write', async () => {
      const a = await store.create(request('OFB-0000000A', { updatedAt: at(1), ...onDevice('a') }));
      const b = await store.create(
        request('OFB-0000000B', { updatedAt: at(2), state: 'completed', ...onDevice('b') }),
      );
      // A new request's card is not up to date yet; a finished one also owes its final notice.
      expect(ids(await store.listDeliveryOwed(10))).toEqual(['OFB-0000000B', 'OFB-0000000A']);
      const a2 = await shown(a);
      expect(ids(await store.listDeliveryOwed(10))).toEqual(['OFB-0000000B']);
      // Card shown, final notice still owed.
      const b2 = await shown(b);
      expect(ids(await store.listDeliveryOwed(10))).toEqual(['OFB-0000000B']);
      await shown(b2, { delivery: { finalNoticeAt: at(3) } });
      expect(await store.listDeliveryOwed(10)).toEqual([]);
      // Any other write makes the card stale again.
      await store.update({ ...a2, state: 'awaiting_approval', updatedAt: at(4) });
      expect(ids(await store.listDeliveryOwed(10))).toEqual(['OFB-0000000A']);
    });

    it('lists owed delivery newest change first, limited, and only since a time when asked', async () => {
      for (const [id, h, d] of [
        ['OFB-0000000A', 3, 'a'],
        ['OFB-0000000B', 1, 'b'],
        ['OFB-0000000C', 2, 'c'],
        ['OFB-0000000D', 2, 'd'],
      ] as const)
        await store.create(request(id, { createdAt: at(h), updatedAt: at(h), ...onDevice(d) }));
      expect(ids(await store.listDeliveryOwed(10))).toEqual([
        'OFB-0000000A',
        'OFB-0000000D',
        'OFB-0000000C',
        'OFB-0000000B',
      ]);
      expect(ids(await store.listDeliveryOwed(2))).toEqual(['OFB-0000000A', 'OFB-0000000D']);
      expect(ids(await store.listDeliveryOwed(10, { updatedSince: at(2) }))).toEqual([
        'OFB-0000000A',
        'OFB-0000000D',
        'OFB-0000000C',
      ]);
      expect(await store.listDeliveryOwed(0)).toEqual([]);
    });

    it('lists active requests with something due: expiry, a retry, a status check, the reminder', async () => {
      const submitted = (h: number) => [
        entry('created', at(0), { actor: 'u-1' }),
        entry('submitted', at(h), { actor: 'u-1' }),
      ];
      const execution = (e: Record<string, string>) => ({
        targets: [{ ...onDevice('c').targets[0]!, execution: e }],
      });
      await store.create(request('OFB-0000000A', { createdAt: at(1), expiresAt: at(5), ...onDevice('a') }));
      await store.create(
        request('OFB-0000000B', {
          createdAt: at(2),
          state: 'awaiting_approval',
          expiresAt: at(20),
          history: submitted(3),
          ...onDevice('b'),
        }),
      );
      await store.create(
        request('OFB-0000000C', { createdAt: at(3), state: 'executing', ...execution({ retryAt: at(6) }) }),
      );
      await store.create(
        request('OFB-0000000D', {
          createdAt: at(4),
          state: 'tracking',
          targets: [{ ...onDevice('d').targets[0]!, execution: { actionId: 'x', nextCheckAt: at(7) } }],
        }),
      );
      await store.create(request('OFB-0000000E', { createdAt: at(5), state: 'expired', expiresAt: at(1) }));
      const due = async (
        h: number,
        o: { submittedBefore?: string; states?: RequestState[] } = {},
        limit = 10,
      ) => ids(await store.listDue(at(h), limit, o));
      expect(await due(4)).toEqual([]);
      expect(await due(5)).toEqual(['OFB-0000000A']);
      expect(await due(7)).toEqual(['OFB-0000000A', 'OFB-0000000C', 'OFB-0000000D']);
      expect(await due(7, {}, 2)).toEqual(['OFB-0000000A', 'OFB-0000000C']);
      expect(await due(7, { states: ['draft', 'awaiting_approval'] })).toEqual(['OFB-0000000A']);
      // The reminder counts from submission: due once submitted at or before the bound.
      expect(await due(4, { submittedBefore: at(2) })).toEqual([]);
      expect(await due(4, { submittedBefore: at(3) })).toEqual(['OFB-0000000B']);
      const b = (await store.get('OFB-0000000B'))!;
      const reminded = await store.update({ ...b, delivery: { reminderAt: at(4) } });
      expect(await due(4, { submittedBefore: at(3) })).toEqual([]);
      expect(await due(20, { submittedBefore: at(3) })).toEqual([
        'OFB-0000000A',
        'OFB-0000000B',
        'OFB-0000000C',
        'OFB-0000000D',
      ]);
      // Finished: nothing is due any more.
      await store.update({ ...reminded, state: 'rejected' });
      expect(await due(20)).toEqual(['OFB-0000000A', 'OFB-0000000C', 'OFB-0000000D']);
    });

    it('takes the earliest retry or check among the targets', async () => {
      const t = (d: string, e: Record<string, string>) => ({ ...onDevice(d).targets[0]!, execution: e });
      await store.create(
        request('OFB-0000000A', {
          state: 'tracking',
          targets: [
            t('a', { nextCheckAt: at(9) }),
            t('b', { actionId: 'y' }),
            t('c', { nextCheckAt: at(8) }),
          ],
        }),
      );
      expect(ids(await store.listDue(at(7), 10))).toEqual([]);
      expect(ids(await store.listDue(at(8), 10))).toEqual(['OFB-0000000A']);
    });
  });

  describe('leases and fencing', () => {
    const TTL = 60_000;

    it('grants a free lease, refuses it to another owner while held, and re-grants it to its holder', async () => {
      const a = await store.acquireLease('OFB-00000001', 'owner-a', TTL);
      expect(a).toEqual({ name: 'OFB-00000001', owner: 'owner-a', token: expect.any(Number) });
      expect(await store.acquireLease('OFB-00000001', 'owner-b', TTL)).toBeUndefined();
      expect(await store.acquireLease('OFB-00000001', 'owner-a', TTL)).toEqual(a);
      expect(await store.acquireLease('OFB-00000002', 'owner-b', TTL)).toMatchObject({ owner: 'owner-b' });
    });

    it('hands a released or expired lease to the next owner with a larger token', async () => {
      const a = (await store.acquireLease('L', 'owner-a', TTL))!;
      await store.releaseLease(a);
      const b = (await store.acquireLease('L', 'owner-b', 30))!;
      expect(b.token).toBeGreaterThan(a.token);
      await new Promise((r) => setTimeout(r, 60));
      const c = (await store.acquireLease('L', 'owner-c', TTL))!;
      expect(c.token).toBeGreaterThan(b.token);
      expect(await store.renewLease(b, TTL)).toBe(false);
      expect(await store.renewLease(c, TTL)).toBe(true);
      // A stale holder's release changes nothing.
      await store.releaseLease(a);
      expect(await store.acquireLease('L', 'owner-a', TTL)).toBeUndefined();
    });

    it('renews a held lease so it does not expire', async () => {
      const a = (await store.acquireLease('L', 'owner-a', 80))!;
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 40));
        expect(await store.renewLease(a, 80)).toBe(true);
      }
      expect(await store.acquireLease('L', 'owner-b', TTL)).toBeUndefined();
    });

    it('writes with the current lease, and refuses a write fenced by a lease taken over since', async () => {
      const v1 = await store.create(request('OFB-00000001'));
      const a = (await store.acquireLease(v1.id, 'owner-a', 30))!;
      const v2 = await store.update({ ...v1, comment: 'by a' }, { fence: a });
      expect(v2.version).toBe(2);
      await new Promise((r) => setTimeout(r, 60));
      const b = (await store.acquireLease(v1.id, 'owner-b', TTL))!;
      const err = await store.update({ ...v2, comment: 'late a' }, { fence: a }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LeaseLostError);
      expect(err).toMatchObject({ code: 'lease_lost', lease: a });
      expect(await store.get(v1.id)).toEqual(v2);
      expect(await store.update({ ...v2, comment: 'by b' }, { fence: b })).toMatchObject({ version: 3 });
      expect(await store.audit()).toHaveLength(1);
    });

    it('still accepts a fenced write after expiry when nobody took the lease over', async () => {
      const v1 = await store.create(request('OFB-00000001'));
      const a = (await store.acquireLease(v1.id, 'owner-a', 20))!;
      await new Promise((r) => setTimeout(r, 50));
      await expect(store.update({ ...v1, comment: 'late but alone' }, { fence: a })).resolves.toMatchObject({
        version: 2,
      });
    });

    it('refuses a write fenced by a lease that was never granted', async () => {
      const v1 = await store.create(request('OFB-00000001'));
      const forged = { name: v1.id, owner: 'owner-x', token: 1 };
      await expect(store.update({ ...v1, comment: 'x' }, { fence: forged })).rejects.toBeInstanceOf(
        LeaseLostError,
      );
    });
  });

  it('answers ping while open and refuses work once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe.each(durable)('RequestStore contract: durable engine %s', (_name, makeHarness) => {
  it('keeps requests and audit across close and reopen', async () => {
    const { store: first, reopen } = await makeHarness();
    const v1 = await first.create(request('OFB-00000001'));
    const v2 = await first.update({
      ...v1,
      state: 'awaiting_approval',
      history: [...v1.history, entry('submitted', 't')],
    });
    await first.close();
    const second = await reopen();
    expect(await second.get('OFB-00000001')).toEqual(v2);
    expect((await second.audit()).map((a) => a.event)).toEqual(['created', 'submitted']);
    expect((await second.listActiveForMachine(MACHINE)).map((r) => r.id)).toEqual(['OFB-00000001']);
  });

  it('refuses UPDATE and DELETE of audit rows, even through raw SQL', async () => {
    const { store, exec } = await makeHarness();
    await store.create(request('OFB-00000001'));
    // Both engines' errors are asynchronous here (sqlite's exec wraps a synchronous call).
    await expect(failure(exec("UPDATE audit SET actor = 'mallory'"))).resolves.toMatch(/append-only/);
    await expect(failure(exec('DELETE FROM audit WHERE seq = 1'))).resolves.toMatch(/append-only/);
    await expect(failure(exec('DELETE FROM audit'))).resolves.toMatch(/append-only/);
    expect(await store.audit()).toEqual([expect.objectContaining({ actor: 'u-1', event: 'created' })]);
  });

  it('enforces one active request per device in the database itself, through raw SQL', async () => {
    const { store, exec } = await makeHarness();
    await store.create(request('OFB-00000001'));
    await store.create(request('OFB-00000002', { state: 'completed' }));
    await expect(
      failure(exec("UPDATE request_targets SET state = 'draft' WHERE request_id = 'OFB-00000002'")),
    ).resolves.toMatch(/unique|duplicate/i);
  });
});

describe('RequestStore contract: leases shared by PostgreSQL instances', () => {
  it('lets exactly one of many instances take a free lease, and fences the others', async () => {
    const databaseUrl = await pg.createDatabase();
    const stores = await Promise.all(
      [1, 2, 3].map(async () => track(await openPostgresStore({ databaseUrl }))),
    );
    const v1 = await stores[0]!.create(request('OFB-00000001'));
    const grants = await Promise.all(stores.map((s, i) => s.acquireLease(v1.id, `owner-${i}`, 60_000)));
    const winners = grants.filter((g) => g !== undefined);
    expect(winners).toHaveLength(1);
    const holder = grants.findIndex((g) => g !== undefined);
    const other = stores[(holder + 1) % 3]!;
    await expect(other.renewLease({ ...winners[0]!, owner: 'owner-x' }, 60_000)).resolves.toBe(false);
    await expect(
      other.update(
        { ...v1, comment: 'not the holder' },
        { fence: { ...winners[0]!, token: winners[0]!.token - 1 } },
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(other.update({ ...v1, comment: 'holder' }, { fence: winners[0]! })).resolves.toMatchObject({
      version: 2,
    });
  });

  it('a take-over waits for the holder’s fenced write in flight, then sees it', async () => {
    const databaseUrl = await pg.createDatabase();
    const [a, b] = await Promise.all([1, 2].map(async () => track(await openPostgresStore({ databaseUrl }))));
    const v1 = await a!.create(request('OFB-00000001'));
    const lease = (await a!.acquireLease(v1.id, 'owner-a', 40))!;
    await new Promise((r) => setTimeout(r, 60));
    const [written, taken] = await Promise.all([
      a!.update({ ...v1, comment: 'just in time' }, { fence: lease }).catch((e: unknown) => e),
      b!.acquireLease(v1.id, 'owner-b', 60_000),
    ]);
    expect(taken).toBeDefined();
    const seen = await b!.get(v1.id);
    // Either the write committed before the take-over (and b sees it) or it was fenced off.
    if (written instanceof Error) {
      expect(written).toBeInstanceOf(LeaseLostError);
      expect(seen!.version).toBe(1);
    } else expect(seen).toEqual(written);
  });
});
