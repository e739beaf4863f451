import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readSqliteAudit } from '../../bot/audit/read';
import { DATABASE_FILE, DeviceBusyError, openSqliteStore, type SqliteRequestStore } from '../../bot/store';
import { MIGRATIONS, SCHEMA_VERSION } from '../../bot/store/sqlite-schema';
import { DELIVERY_OWED_SQL, DUE_SQL } from '../../bot/store/sqlite-sql';

/**
 * Upgrading a database written by the first release (schema version 1): the new step
 * copies each request's state onto its targets, so the one-active-request-per-device
 * index holds for old rows too, the sweep's index columns are filled from each body, and the
 * audit export still reads a version-1 backup.
 */
const dirs: string[] = [];
const stores: SqliteRequestStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const M1 = 'a'.repeat(40);
const M2 = 'b'.repeat(40);

/** A version-1 database with an active request on M1 and a finished one on M2. */
function versionOneDatabase(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'offboarder-migrate-'));
  dirs.push(dataDir);
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.exec(MIGRATIONS[0] as string);
  db.pragma('user_version = 1');
  const at = '2025-01-01T10:00:00.000Z';
  for (const [id, state, machine] of [
    ['OFB-00000001', 'awaiting_approval', M1],
    ['OFB-00000002', 'completed', M2],
  ] as const) {
    const body = {
      id,
      version: 1,
      tenantId: 't',
      state,
      requester: { aadObjectId: 'u', name: 'U' },
      approvalsRequired: 1,
      approvals: [],
      createdAt: at,
      updatedAt: at,
      expiresAt: at,
      conversation: { conversationId: 'c', reference: {} },
      targets: [{ machineId: machine, computerDnsName: 'ws', machine: { id: machine }, execution: {} }],
      history: [{ at, event: 'created', actor: 'u' }],
    };
    db.prepare(
      `INSERT INTO requests (id, version, state, tenant_id, conversation_id, created_at, updated_at, body)
       VALUES (?, 1, ?, 't', 'c', ?, ?, ?)`,
    ).run(id, state, at, at, JSON.stringify(body));
    db.prepare('INSERT INTO request_targets (request_id, machine_id) VALUES (?, ?)').run(id, machine);
    db.prepare(
      "INSERT INTO audit (request_id, at, event, actor, recorded_at) VALUES (?, ?, 'created', 'u', ?)",
    ).run(id, at, at);
  }
  db.close();
  return dataDir;
}

test('the audit export reads a version-1 database', () => {
  expect(readSqliteAudit(versionOneDatabase(), undefined).map((r) => r.requestId)).toEqual([
    'OFB-00000001',
    'OFB-00000002',
  ]);
});

test('opening a version-1 database adds target states and the one-active-request index', async () => {
  const store = openSqliteStore({ dataDir: versionOneDatabase() });
  stores.push(store);
  expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  expect(store.db.prepare('SELECT request_id, state FROM request_targets ORDER BY request_id').all()).toEqual(
    [
      { request_id: 'OFB-00000001', state: 'awaiting_approval' },
      { request_id: 'OFB-00000002', state: 'completed' },
    ],
  );
  const second = { ...(await store.get('OFB-00000001'))!, id: 'OFB-00000003', state: 'draft' as const };
  await expect(store.create(second)).rejects.toBeInstanceOf(DeviceBusyError);
  const onFreed = { ...(await store.get('OFB-00000002'))!, id: 'OFB-00000004', state: 'draft' as const };
  await expect(store.create(onFreed)).resolves.toMatchObject({ version: 1 });
});

test('opening an older database fills the index columns the maintenance sweep looks up', async () => {
  const dataDir = versionOneDatabase();
  // OFB-00000002 finished with its card shown and its final notice posted: nothing owed.
  const raw = new Database(path.join(dataDir, DATABASE_FILE));
  raw
    .prepare(
      `UPDATE requests SET body = json_set(body, '$.delivery', json('{"cardShownVersion":1,"finalNoticeAt":"2025-01-01T11:00:00.000Z"}'))
       WHERE id = 'OFB-00000002'`,
    )
    .run();
  raw.close();
  const store = openSqliteStore({ dataDir });
  stores.push(store);
  expect(
    store.db.prepare('SELECT id, delivery_owed, due_at, remind_from FROM requests ORDER BY id').all(),
  ).toEqual([
    {
      id: 'OFB-00000001',
      delivery_owed: 1,
      due_at: '2025-01-01T10:00:00.000Z',
      remind_from: '2025-01-01T10:00:00.000Z',
    },
    { id: 'OFB-00000002', delivery_owed: 0, due_at: null, remind_from: null },
  ]);
  expect((await store.listDeliveryOwed(10)).map((r) => r.id)).toEqual(['OFB-00000001']);
  expect((await store.listDue('2025-01-01T10:00:00.000Z', 10)).map((r) => r.id)).toEqual(['OFB-00000001']);
  const indexes = store.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'requests_%' ORDER BY name")
    .all();
  expect(indexes).toEqual(
    expect.arrayContaining([
      { name: 'requests_delivery_owed' },
      { name: 'requests_due' },
      { name: 'requests_remind' },
    ]),
  );
});

test('the sweep look-ups use the partial indexes, not a scan of the history', () => {
  const store = openSqliteStore({ dataDir: versionOneDatabase() });
  stores.push(store);
  const plan = (sql: string, params: Record<string, unknown>) =>
    (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('\n');
  const owed = plan(DELIVERY_OWED_SQL, { updatedSince: null, limit: 5 });
  expect(owed).toMatch(/USING INDEX requests_delivery_owed/);
  const due = plan(DUE_SQL, { before: 'x', submittedBefore: 'x', states: '["draft"]', limit: 5 });
  expect(due).toMatch(/USING (COVERING )?INDEX requests_due/);
  expect(due).toMatch(/USING (COVERING )?INDEX requests_remind/);
  expect(`${owed}\n${due}`).not.toMatch(/SCAN requests(?! USING)/);
});
