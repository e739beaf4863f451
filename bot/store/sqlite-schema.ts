import type Database from 'better-sqlite3';
import type { Logger } from '../log';
import { StoreUnavailableError } from './store-errors';
import { indexColumns } from './rules';
import type { OffboardRequest } from '../request/model';

/** SQL to run, or a step that needs code (a backfill computed as the store computes it). */
export type Migration = string | ((db: Database.Database) => void);

/**
 * Schema migrations, tracked in `PRAGMA user_version` (https://sqlite.org/pragma.html#pragma_user_version).
 * Append new steps; never edit a released one. Step i takes the schema from version i
 * to i + 1.
 */
export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE requests (
    id              TEXT PRIMARY KEY NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    state           TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    body            TEXT NOT NULL CHECK (json_valid(body))
  );
  CREATE INDEX requests_by_state ON requests (state, created_at);

  -- One row per targeted device, so "active requests for this machine" is an index
  -- lookup rather than a scan of every JSON body.
  CREATE TABLE request_targets (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    machine_id TEXT NOT NULL,
    PRIMARY KEY (request_id, machine_id)
  ) WITHOUT ROWID;
  CREATE INDEX request_targets_by_machine ON request_targets (machine_id);

  -- Append-only audit trail. No foreign key: the trail must outlive any clean-up of
  -- requests. recorded_at is the store's clock, next to the caller's "at".
  CREATE TABLE audit (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT NOT NULL,
    at              TEXT NOT NULL,
    event           TEXT NOT NULL,
    actor           TEXT NOT NULL,
    actor_name      TEXT,
    conversation_id TEXT,
    detail          TEXT CHECK (detail IS NULL OR json_valid(detail)),
    recorded_at     TEXT NOT NULL
  );
  CREATE INDEX audit_by_at ON audit (at);
  CREATE INDEX audit_by_request ON audit (request_id, seq);
  -- Triggers also disable SQLite's truncate optimisation, so a bare DELETE is caught.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  `,
  `
  -- At most one active request per device. The index needs the request's state next to
  -- the machine, so targets carry a copy, rewritten with the targets on every update.
  -- The state list is ACTIVE_STATES (bot/request/model.ts) at the time of writing.
  ALTER TABLE request_targets ADD COLUMN state TEXT NOT NULL DEFAULT '';
  UPDATE request_targets SET state = (SELECT r.state FROM requests r WHERE r.id = request_id);
  CREATE UNIQUE INDEX request_targets_one_active ON request_targets (machine_id)
    WHERE state IN ('draft', 'awaiting_approval', 'executing', 'tracking');
  `,
  (db) => {
    // What the maintenance sweep looks for, kept by the store on every write
    // (bot/store/rules.ts indexColumns), so the sweep never reads the whole history.
    db.exec(`
      ALTER TABLE requests ADD COLUMN delivery_owed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE requests ADD COLUMN due_at TEXT;
      ALTER TABLE requests ADD COLUMN remind_from TEXT;
    `);
    backfillIndexColumns(db);
    db.exec(`
      CREATE INDEX requests_delivery_owed ON requests (updated_at) WHERE delivery_owed = 1;
      CREATE INDEX requests_due ON requests (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX requests_remind ON requests (remind_from) WHERE remind_from IS NOT NULL;
    `);
  },
];

/** Fills the index columns of existing rows, a page at a time. */
function backfillIndexColumns(db: Database.Database): void {
  const page = db.prepare<[number], { rowid: number; version: number; body: string }>(
    'SELECT rowid, version, body FROM requests WHERE rowid > ? ORDER BY rowid LIMIT 1000',
  );
  const set = db.prepare(
    'UPDATE requests SET delivery_owed = ?, due_at = ?, remind_from = ? WHERE rowid = ?',
  );
  for (let after = 0; ;) {
    const rows = page.all(after);
    if (!rows.length) return;
    for (const row of rows) {
      const c = indexColumns({ ...(JSON.parse(row.body) as OffboardRequest), version: row.version });
      set.run(c.deliveryOwed ? 1 : 0, c.dueAt, c.remindFrom, row.rowid);
    }
    after = rows[rows.length - 1]!.rowid;
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema to SCHEMA_VERSION; each step is its own transaction. */
export function migrate(db: Database.Database, dataDir: string, logger: Logger): void {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new StoreUnavailableError(
      `DATA_DIR ${dataDir}: the database has schema version ${found}, newer than this build knows ` +
        `(${SCHEMA_VERSION}). Run the newer release, or restore a backup.`,
      { dataDir },
    );
  }
  for (let step = found; step < SCHEMA_VERSION; step++) {
    db.transaction(() => {
      // Re-read under the write lock: another process may have migrated meanwhile.
      if (userVersion(db) !== step) return;
      const m = MIGRATIONS[step] ?? '';
      if (typeof m === 'string') db.exec(m);
      else m(db);
      db.pragma(`user_version = ${step + 1}`);
    }).immediate();
    logger.info({ dataDir, schemaVersion: step + 1 }, 'request store schema migrated');
  }
}
