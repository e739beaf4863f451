/**
 * PostgreSQL schema migrations, recorded in `schema_migrations` (one row per applied
 * step). Append new steps; never edit a released one. Step i takes the schema from
 * version i to i + 1.
 *
 * All pending steps run in one transaction under a transaction-scoped advisory lock:
 * replicas starting together queue on the lock, and each one that gets it re-reads
 * the version, so the steps run once. DDL is transactional in PostgreSQL, so a failed
 * step leaves the previous schema intact.
 *
 * Text times are ISO-8601 UTC compared as text, exactly as in the SQLite store; COLLATE
 * "C" makes that a byte comparison whatever the database's locale.
 */
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../log';
import { StoreUnavailableError } from './store-errors';
import { redactDatabaseUrl } from './postgres-pool';
import { indexColumns } from './rules';
import type { OffboardRequest } from '../request/model';

/** SQL to run, or a step that needs code (a backfill computed as the store computes it). */
type Migration = string | ((c: PoolClient) => Promise<void>);

export const PG_MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE requests (
    id              text PRIMARY KEY,
    version         integer NOT NULL CHECK (version >= 1),
    state           text NOT NULL,
    tenant_id       text NOT NULL,
    conversation_id text NOT NULL,
    created_at      text COLLATE "C" NOT NULL,
    updated_at      text COLLATE "C" NOT NULL,
    -- Insertion order: the tie-break for equal created_at (SQLite's rowid).
    ins_seq         bigint GENERATED ALWAYS AS IDENTITY,
    -- json, not jsonb: kept as written, so a read returns what was stored.
    body            json NOT NULL
  );
  CREATE INDEX requests_by_state ON requests (state, created_at, ins_seq);

  -- One row per targeted device with a copy of the request's state, rewritten on every
  -- update: "active requests for this machine" is an index look-up, and the partial
  -- unique index allows at most one active request per device. The state list is
  -- ACTIVE_STATES (bot/request/model.ts) at the time of writing.
  CREATE TABLE request_targets (
    request_id text NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    machine_id text NOT NULL,
    state      text NOT NULL,
    PRIMARY KEY (request_id, machine_id)
  );
  CREATE INDEX request_targets_by_machine ON request_targets (machine_id);
  CREATE UNIQUE INDEX request_targets_one_active ON request_targets (machine_id)
    WHERE state IN ('draft', 'awaiting_approval', 'executing', 'tracking');

  -- Append-only audit trail. No foreign key: the trail must outlive any clean-up of
  -- requests. recorded_at is the store's clock, next to the caller's "at".
  CREATE TABLE audit (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      text NOT NULL,
    at              text COLLATE "C" NOT NULL,
    event           text NOT NULL,
    actor           text NOT NULL,
    actor_name      text,
    conversation_id text,
    detail          json,
    recorded_at     timestamptz NOT NULL
  );
  CREATE INDEX audit_by_at ON audit (at);
  CREATE INDEX audit_by_request ON audit (request_id, seq);

  -- Enforced in the database, as SQLite does with triggers: UPDATE, DELETE and TRUNCATE
  -- fail for every role. Only the table's owner could drop the triggers; run the bot
  -- as another role to rule that out too.
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit is append-only';
  END;
  $$;
  CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
  `,
  `
  -- Who may do a request's background work now (bot/store/lease.ts). Rows are never
  -- deleted: a release only ends the expiry, so a name's token keeps growing.
  CREATE TABLE leases (
    name       text PRIMARY KEY,
    owner      text NOT NULL,
    token      bigint NOT NULL,
    expires_at timestamptz NOT NULL
  );

  -- The Defender rate budget shared by all instances (bot/defender/rate-budget-postgres.ts):
  -- call starts per operation in the database's milliseconds, and Retry-After pauses.
  CREATE TABLE rate_starts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation  text NOT NULL,
    started_ms bigint NOT NULL
  );
  CREATE INDEX rate_starts_by_operation ON rate_starts (operation, started_ms);
  CREATE TABLE rate_pauses (
    operation text PRIMARY KEY,
    until_ms  bigint NOT NULL
  );
  `,
  async (c) => {
    // What the maintenance sweep looks for, kept by the store on every write
    // (bot/store/rules.ts indexColumns), so the sweep never reads the whole history.
    await c.query(`
      ALTER TABLE requests ADD COLUMN delivery_owed boolean NOT NULL DEFAULT false;
      ALTER TABLE requests ADD COLUMN due_at text COLLATE "C";
      ALTER TABLE requests ADD COLUMN remind_from text COLLATE "C";
    `);
    await backfillIndexColumns(c);
    await c.query(`
      CREATE INDEX requests_delivery_owed ON requests (updated_at) WHERE delivery_owed;
      CREATE INDEX requests_due ON requests (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX requests_remind ON requests (remind_from) WHERE remind_from IS NOT NULL;
    `);
  },
];

/** Fills the index columns of existing rows, a page at a time. */
async function backfillIndexColumns(c: PoolClient): Promise<void> {
  for (let after = 0; ;) {
    const { rows } = await c.query<{ ins_seq: string; version: number; body: OffboardRequest }>(
      'SELECT ins_seq, version, body FROM requests WHERE ins_seq > $1 ORDER BY ins_seq LIMIT 1000',
      [after],
    );
    if (!rows.length) return;
    const cols = rows.map((row) => indexColumns({ ...row.body, version: row.version }));
    await c.query(
      `UPDATE requests r SET delivery_owed = v.owed, due_at = v.due, remind_from = v.remind
       FROM unnest($1::bigint[], $2::boolean[], $3::text[], $4::text[]) AS v(seq, owed, due, remind)
       WHERE r.ins_seq = v.seq`,
      [
        rows.map((row) => row.ins_seq),
        cols.map((x) => x.deliveryOwed),
        cols.map((x) => x.dueAt),
        cols.map((x) => x.remindFrom),
      ],
    );
    after = Number(rows[rows.length - 1]!.ins_seq);
  }
}

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Key of the advisory lock that serialises migrations ("offboard" in ASCII, as an int). */
const MIGRATION_LOCK = 0x6f666662;

/** The schema version recorded in the database; 0 when nothing was ever migrated. */
export async function pgSchemaVersion(client: Pool | PoolClient): Promise<number> {
  // Two statements: a missing table is an error when a statement is parsed, not run.
  const exists = await client.query<{ found: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS found",
  );
  if (!exists.rows[0]?.found) return 0;
  const { rows } = await client.query<{ version: number }>(
    'SELECT coalesce(max(version), 0) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

/** Brings the schema to PG_SCHEMA_VERSION; logs each applied step. */
export async function migratePostgres(pool: Pool, url: string, logger: Logger): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const found = await pgSchemaVersion(client);
    if (found > PG_SCHEMA_VERSION) {
      throw new StoreUnavailableError(
        `DATABASE_URL ${redactDatabaseUrl(url)}: the database has schema version ${found}, newer than ` +
          `this build knows (${PG_SCHEMA_VERSION}). Run the newer release, or restore a backup.`,
      );
    }
    for (let step = found; step < PG_SCHEMA_VERSION; step++) {
      const m = PG_MIGRATIONS[step] ?? '';
      if (typeof m === 'string') await client.query(m);
      else await m(client);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [step + 1]);
    }
    await client.query('COMMIT');
    for (let step = found; step < PG_SCHEMA_VERSION; step++)
      logger.info(
        { database: redactDatabaseUrl(url), schemaVersion: step + 1 },
        'request store schema migrated',
      );
    return PG_SCHEMA_VERSION;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
