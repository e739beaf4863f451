import { createLogger } from '../../bot/log';
import type { OffboardRequest } from '../../bot/request/model';
import { openStore, SqliteRequestStore, StoreUnavailableError } from '../../bot/store';
import {
  openPostgresStore,
  PG_SCHEMA_VERSION,
  PostgresRequestStore,
  redactDatabaseUrl,
} from '../../bot/store/postgres';
import { isUnavailablePgError } from '../../bot/store/postgres-pool';
import { PG_MIGRATIONS } from '../../bot/store/postgres-schema';
import { SQL } from '../../bot/store/postgres-sql';
import { startPostgres, type PostgresServer } from '../support/postgres-server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * What only the PostgreSQL store has: migrations under an advisory lock, refusing a
 * newer schema, TRUNCATE of the audit trail, and a password that never reaches a log
 * line or an error message. Runs on a throwaway server this file starts.
 */
let pg: PostgresServer;
const stores: Array<{ close(): Promise<void> }> = [];
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(async () => {
  await pg?.stop();
});

function track<S extends { close(): Promise<void> }>(s: S): S {
  stores.push(s);
  return s;
}

/** A logger writing into an array, at trace level. */
function capturingLogger(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level: 'trace', destination: { write: (l: string) => lines.push(l) } }),
  };
}

function minimalRequest(id: string): OffboardRequest {
  const at = '2025-01-01T10:00:00.000Z';
  return {
    id,
    version: 0,
    tenantId: 't',
    state: 'draft',
    requester: { aadObjectId: 'u', name: 'U' },
    approvalsRequired: 1,
    approvals: [],
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    conversation: { conversationId: 'c', reference: {} },
    targets: [],
    history: [{ at, event: 'created', actor: 'u' }],
  };
}

const password = (url: string) => decodeURIComponent(new URL(url).password);

describe('openPostgresStore', () => {
  it('migrates once when two replicas start together', async () => {
    const databaseUrl = await pg.createDatabase();
    const { lines, logger } = capturingLogger();
    const [a, b] = await Promise.all([
      openPostgresStore({ databaseUrl, logger }),
      openPostgresStore({ databaseUrl, logger }),
    ]);
    track(a);
    track(b);
    const { rows } = await a.pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
    expect(lines.filter((l) => l.includes('schema migrated'))).toHaveLength(PG_SCHEMA_VERSION);
    await a.create(minimalRequest('OFB-00000001'));
    expect(await b.get('OFB-00000001')).toMatchObject({ version: 1 });
  });

  it('reopening an up-to-date database migrates nothing and keeps the data', async () => {
    const databaseUrl = await pg.createDatabase();
    const first = await openPostgresStore({ databaseUrl });
    await first.create(minimalRequest('OFB-00000001'));
    await first.close();
    const { lines, logger } = capturingLogger();
    const second = track(await openPostgresStore({ databaseUrl, logger }));
    expect(lines.filter((l) => l.includes('schema migrated'))).toEqual([]);
    expect(await second.get('OFB-00000001')).toMatchObject({ version: 1 });
  });

  it('refuses a database from a newer release', async () => {
    const databaseUrl = await pg.createDatabase();
    await (await openPostgresStore({ databaseUrl })).close();
    const db = new URL(databaseUrl).pathname.slice(1);
    await pg.query(db, `INSERT INTO schema_migrations (version) VALUES (${PG_SCHEMA_VERSION + 1})`);
    await expect(openPostgresStore({ databaseUrl })).rejects.toThrow(/newer than this build knows/);
  });

  it('upgrading a version-2 database fills the index columns the maintenance sweep looks up', async () => {
    const databaseUrl = await pg.createDatabase();
    const db = new URL(databaseUrl).pathname.slice(1);
    await pg.query(
      db,
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    await pg.query(db, PG_MIGRATIONS[0] as string);
    await pg.query(db, PG_MIGRATIONS[1] as string);
    await pg.query(db, 'INSERT INTO schema_migrations (version) VALUES (1), (2)');
    const at = '2025-01-01T10:00:00.000Z';
    const rows: Array<[string, string, unknown]> = [
      ['OFB-00000001', 'awaiting_approval', undefined],
      ['OFB-00000002', 'completed', { cardShownVersion: 1, finalNoticeAt: at }],
      ['OFB-00000003', 'completed', { cardShownVersion: 1 }],
    ];
    for (const [id, state, delivery] of rows) {
      const body = JSON.stringify({ ...minimalRequest(id), version: 1, state, delivery }).replace(/'/g, "''");
      await pg.query(
        db,
        `INSERT INTO requests (id, version, state, tenant_id, conversation_id, created_at, updated_at, body)
         VALUES ('${id}', 1, '${state}', 't', 'c', '${at}', '${at}', '${body}')`,
      );
    }
    const store = track(await openPostgresStore({ databaseUrl }));
    const { rows: cols } = await store.pool.query(
      'SELECT id, delivery_owed, due_at, remind_from FROM requests ORDER BY id',
    );
    expect(cols).toEqual([
      { id: 'OFB-00000001', delivery_owed: true, due_at: at, remind_from: at },
      { id: 'OFB-00000002', delivery_owed: false, due_at: null, remind_from: null },
      { id: 'OFB-00000003', delivery_owed: true, due_at: null, remind_from: null },
    ]);
    expect((await store.listDeliveryOwed(10)).map((r) => r.id)).toEqual(['OFB-00000003', 'OFB-00000001']);
    expect((await store.listDue(at, 10)).map((r) => r.id)).toEqual(['OFB-00000001']);
    // With a history of finished requests, neither look-up reads it: no sequential scan.
    await store.pool.query(
      `INSERT INTO requests (id, version, state, tenant_id, conversation_id, created_at, updated_at, body)
       SELECT 'OFB-H' || g, 1, 'completed', 't', 'c', $1, $1, '{}' FROM generate_series(1, 5000) g`,
      [at],
    );
    await store.pool.query('ANALYZE requests');
    const plan = async (sql: string, params: unknown[]) =>
      (await store.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const owed = await plan(SQL.deliveryOwed, [5, null]);
    expect(owed).toMatch(/requests_delivery_owed/);
    const due = await plan(SQL.due, [at, at, ['draft', 'awaiting_approval'], 5]);
    expect(`${owed}\n${due}`).not.toMatch(/Seq Scan/);
    expect((await store.listDue(at, 10)).map((r) => r.id)).toEqual(['OFB-00000001']);
  });

  it('commits a non-durable write with synchronous_commit off for that transaction only', async () => {
    const databaseUrl = await pg.createDatabase();
    // The test server turns synchronous_commit off for speed: this database has it on.
    const db = new URL(databaseUrl).pathname.slice(1);
    await pg.query(db, `ALTER DATABASE ${db} SET synchronous_commit = on`);
    const store = track(await openPostgresStore({ databaseUrl }));
    await store.pool.query(`CREATE TABLE seen (level text)`);
    await store.pool.query(`CREATE FUNCTION watch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO seen VALUES (current_setting('synchronous_commit')); RETURN NEW; END; $$`);
    await store.pool.query(
      'CREATE TRIGGER watch AFTER UPDATE ON requests FOR EACH ROW EXECUTE FUNCTION watch()',
    );
    const v1 = await store.create(minimalRequest('OFB-00000001'));
    const v2 = await store.update({ ...v1, comment: 'a' }, { durable: false });
    await store.update({ ...v2, comment: 'b' });
    const { rows } = await store.pool.query<{ level: string }>('SELECT level FROM seen');
    expect(rows.map((r) => r.level)).toEqual(['off', 'on']);
  });

  it('refuses TRUNCATE of the audit trail', async () => {
    const store = track(await openPostgresStore({ databaseUrl: await pg.createDatabase() }));
    await store.create(minimalRequest('OFB-00000001'));
    await expect(store.pool.query('TRUNCATE audit')).rejects.toThrow(/append-only/);
    expect(await store.audit()).toHaveLength(1);
  });

  it('openStore picks PostgreSQL with DATABASE_URL, SQLite without', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'offboarder-openstore-'));
    try {
      const viaUrl = track(await openStore({ databaseUrl: await pg.createDatabase(), dataDir }));
      expect(viaUrl).toBeInstanceOf(PostgresRequestStore);
      const viaDir = track(await openStore({ dataDir }));
      expect(viaDir).toBeInstanceOf(SqliteRequestStore);
      expect(fs.readdirSync(dataDir)).toContain('offboarder.db');
    } finally {
      for (const s of stores.splice(0)) await s.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('DATABASE_URL password', () => {
  it('is masked in the URL as logged', () => {
    expect(redactDatabaseUrl('postgres://bot:s%40cret@db:5432/x?sslmode=require')).toBe(
      'postgres://bot:***@db:5432/x?sslmode=require',
    );
    expect(redactDatabaseUrl('not a url with s3cret')).not.toContain('s3cret');
  });

  it('never reaches a log line: open, work, close', async () => {
    const databaseUrl = await pg.createDatabase();
    const { lines, logger } = capturingLogger();
    const store = await openPostgresStore({ databaseUrl, logger });
    await store.create(minimalRequest('OFB-00000001'));
    await store.close();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(password(databaseUrl));
    expect(lines.join('\n')).toContain('***');
  });

  it('is not in the error when the password is wrong', async () => {
    const wrong = new URL(pg.url());
    wrong.password = 'Wr0ng-Pa55word';
    const { lines, logger } = capturingLogger();
    const err = await openPostgresStore({ databaseUrl: wrong.toString(), logger }).then(
      () => undefined,
      (e: unknown) => e as StoreUnavailableError,
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err!.message).toMatch(/password authentication failed/);
    expect(err!.message).toContain(`127.0.0.1:${pg.port}`);
    expect(`${err!.message}${err!.chatMessage}${lines.join('')}`).not.toContain('Wr0ng-Pa55word');
  });

  it('is not in the error when the server is unreachable; a killed connection is replaced', async () => {
    const databaseUrl = await pg.createDatabase();
    const store = track(await openPostgresStore({ databaseUrl }));
    const down = new URL(databaseUrl);
    down.port = '1'; // nothing listens on port 1
    const err = await openPostgresStore({ databaseUrl: down.toString() }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err!.message).toMatch(/ECONNREFUSED/);
    expect(err!.message).not.toContain(password(databaseUrl));
    // A connection killed by the server mid-life: the next call still works (a new connection).
    const db = new URL(databaseUrl).pathname.slice(1);
    await pg.query(
      'postgres',
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'`,
    );
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('classifies connection and resource failures as unavailable, statement errors as bugs', () => {
    for (const code of ['08006', '28P01', '3D000', '53100', '57P01', '25006', 'ECONNREFUSED']) {
      expect(isUnavailablePgError({ code })).toBe(true);
    }
    for (const e of [{ code: '23505' }, { code: '42P01' }, { code: 'P0001' }, null, new Error('x')]) {
      expect(isUnavailablePgError(e)).toBe(false);
    }
    expect(isUnavailablePgError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
