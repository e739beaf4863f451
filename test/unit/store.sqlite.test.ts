import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OffboardRequest } from '../../bot/request/model';
import {
  DATABASE_FILE,
  openSqliteStore,
  StoreUnavailableError,
  type SqliteRequestStore,
} from '../../bot/store';
import { describeOsError, isUnavailableSqliteError } from '../../bot/store/store-errors';
import { SCHEMA_VERSION } from '../../bot/store/sqlite-schema';

/** Opening, configuring and failing: what only the SQLite store has. */
const dirs: string[] = [];
const stores: SqliteRequestStore[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offboarder-sqlite-'));
  dirs.push(dir);
  return dir;
}
function open(dataDir: string, now = 0): SqliteRequestStore {
  const store = openSqliteStore({ dataDir, clock: { now: () => now } });
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) {
    fs.chmodSync(d, 0o700);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

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

/** Runs `fn`, expecting a StoreUnavailableError; returns it for further checks. */
function unavailable(fn: () => unknown): StoreUnavailableError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreUnavailableError);
    const err = e as StoreUnavailableError;
    expect(err.code).toBe('store_unavailable');
    expect(err.message).toContain('DATA_DIR');
    expect(err.chatMessage).not.toContain(os.tmpdir());
    return err;
  }
  throw new Error('expected StoreUnavailableError');
}

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Opens the store in a child process, as `nobody` when we are root; returns what it printed. */
function openAsUnprivileged(dataDir: string): string {
  const cli = path.join(__dirname, '../fakes/open-store-cli.ts');
  const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
  if (isRoot) {
    // nobody must reach the folder and own it (its permission bits then apply to nobody).
    for (let d = dataDir; d !== path.dirname(d); d = path.dirname(d))
      fs.chmodSync(d, fs.statSync(d).mode | 0o001);
    fs.chownSync(dataDir, NOBODY, NOBODY);
    for (const f of fs.readdirSync(dataDir)) fs.chownSync(path.join(dataDir, f), NOBODY, NOBODY);
  }
  const [cmd, args] = isRoot
    ? ['setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', tsx, cli, dataDir]]
    : [tsx, [cli, dataDir]];
  const res = spawnSync(cmd, args as string[], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, HOME: '/tmp' },
  });
  return `${res.stdout}${res.stderr}`;
}

describe('openSqliteStore', () => {
  it('creates a missing data folder and the database file in it', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    open(dataDir);
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
  });

  it('configures WAL, synchronous=FULL, a busy timeout and the current schema', () => {
    const { db } = open(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('migrates once: reopening keeps the schema and the data', async () => {
    const dataDir = tempDir();
    const first = openSqliteStore({ dataDir });
    await first.create(minimalRequest('OFB-00000001'));
    await first.close();
    const second = open(dataDir);
    expect(second.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(await second.get('OFB-00000001')).toMatchObject({ version: 1 });
  });

  it('looks machines up through the index, not a scan', () => {
    const { db } = open(tempDir());
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT r.body FROM request_targets t JOIN requests r ON r.id = t.request_id
         WHERE t.machine_id = ? AND r.state IN (SELECT value FROM json_each(?))`,
      )
      .all('x', '[]') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/request_targets_by_machine/);
  });

  it('commits a non-durable write without syncing, then returns to synchronous=FULL', async () => {
    const store = open(tempDir());
    const v1 = await store.create(minimalRequest('OFB-00000001'));
    const pragmas: string[] = [];
    const pragma = store.db.pragma.bind(store.db);
    store.db.pragma = ((source: string, options?: { simple?: boolean }) => {
      pragmas.push(source);
      return pragma(source, options);
    }) as typeof store.db.pragma;
    const v2 = await store.update({ ...v1, comment: 'a' }, { durable: false });
    expect(v2.version).toBe(2);
    expect(pragmas).toEqual(['synchronous', 'synchronous = NORMAL', 'synchronous = 2']);
    await store.update({ ...v2, comment: 'b' });
    expect(pragmas).toHaveLength(3); // a durable write keeps FULL
    expect(pragma('synchronous', { simple: true })).toBe(2);
    // Also after a refused write.
    await expect(store.update({ ...v1, comment: 'stale' }, { durable: false })).rejects.toThrow(
      /changed by someone else/,
    );
    expect(pragma('synchronous', { simple: true })).toBe(2);
  });

  it('stamps audit rows with the injected clock', async () => {
    const store = open(tempDir(), Date.UTC(2030, 0, 1));
    await store.create(minimalRequest('OFB-00000001'));
    expect(store.db.prepare('SELECT recorded_at FROM audit').pluck().get()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('refuses a data folder below a regular file (ENOTDIR), naming DATA_DIR and the OS error', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const err = unavailable(() => open(path.join(file, 'data')));
    expect(err.message).toContain(path.join(file, 'data'));
    expect(err.message).toContain('ENOTDIR');
    expect(err.cause).toBeDefined();
  });

  // Root ignores permission bits, and CI runs as root: the open runs in a child
  // process as `nobody` then (setpriv), so the permission check is real either way.
  it('refuses a read-only data folder (chmod 0500)', () => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o500);
    expect(openAsUnprivileged(dataDir)).toMatch(/EACCES|EROFS|not writable/);
  });

  it('refuses a read-only database file (chmod 0400)', async () => {
    const dataDir = tempDir();
    await openSqliteStore({ dataDir }).close();
    fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o400);
    expect(openAsUnprivileged(dataDir)).toContain(`${DATABASE_FILE} is not writable`);
  });

  it('refuses when the database path is a folder (SQLITE_CANTOPEN)', () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, DATABASE_FILE));
    expect(unavailable(() => open(dataDir)).message).toMatch(/SQLITE_CANTOPEN|EISDIR/);
  });

  it('refuses a file that is not a database (SQLITE_NOTADB)', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, DATABASE_FILE), 'this is not a database, just text '.repeat(100));
    expect(unavailable(() => open(dataDir)).message).toContain('SQLITE_NOTADB');
  });

  it('refuses a database from a newer release', () => {
    const dataDir = tempDir();
    const raw = new Database(path.join(dataDir, DATABASE_FILE));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(unavailable(() => open(dataDir)).message).toMatch(/newer/);
  });
});

describe('SqliteRequestStore at run time', () => {
  it('turns a full disk into StoreUnavailableError and keeps the old data', async () => {
    const store = open(tempDir());
    await store.create(minimalRequest('OFB-00000001'));
    // max_page_count caps the file at its current size: the next growth is SQLITE_FULL,
    // exactly what a full disk returns, without filling one.
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const big = { ...minimalRequest('OFB-00000002'), comment: 'x'.repeat(200_000) };
    await expect(store.create(big)).rejects.toThrow(StoreUnavailableError);
    await expect(store.create(big)).rejects.toThrow(/SQLITE_FULL/);
    expect(await store.get('OFB-00000001')).toBeDefined();
    expect(await store.get('OFB-00000002')).toBeUndefined();
  });

  it('turns a read-only database into StoreUnavailableError (query_only works as root too)', async () => {
    const store = open(tempDir());
    store.db.pragma('query_only = ON');
    await expect(store.create(minimalRequest('OFB-00000001'))).rejects.toThrow(/SQLITE_READONLY/);
    await expect(store.create(minimalRequest('OFB-00000001'))).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('error classification', () => {
  it('describes errors from any realm by duck typing', () => {
    expect(describeOsError({ code: 'SQLITE_FULL', message: 'database or disk is full' })).toBe(
      'SQLITE_FULL: database or disk is full',
    );
    expect(describeOsError(Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' }))).toBe(
      'ENOTDIR: not a directory',
    );
    expect(describeOsError('boom')).toBe('boom');
    expect(describeOsError(undefined)).toBe('undefined');
  });

  it('treats storage failures as unavailable and statement errors as bugs', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_FSYNC', 'SQLITE_BUSY']) {
      expect(isUnavailableSqliteError({ code })).toBe(true);
    }
    for (const e of [{ code: 'SQLITE_CONSTRAINT_TRIGGER' }, { code: 'SQLITE_FULLY' }, null, new Error('x')]) {
      expect(isUnavailableSqliteError(e)).toBe(false);
    }
  });
});
