/**
 * Reads the audit trail for `npm run audit` from either store, changing nothing: the
 * SQLite file is opened read-only and never created or migrated; PostgreSQL sessions
 * are read-only (default_transaction_read_only). A schema this build does not know
 * is refused rather than guessed at. Messages name DATA_DIR or DATABASE_URL (password
 * masked) and what went wrong.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger } from '../log';
import { describeOsError } from '../store/store-errors';
import { createPool, redactDatabaseUrl, scrubPassword } from '../store/postgres-pool';
import { PG_SCHEMA_VERSION, pgSchemaVersion } from '../store/postgres-schema';
import { fromPgAuditRow, SQL, type PgAuditRow } from '../store/postgres-sql';
import { DATABASE_FILE } from '../store/sqlite';
import { SCHEMA_VERSION, userVersion } from '../store/sqlite-schema';
import { fromAuditRow, type AuditRow } from '../store/sqlite-sql';
import type { AuditRecord } from '../store/types';

/** The store cannot be read: exit code 1, message for the operator. */
export class AuditReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditReadError';
  }
}

export interface AuditSource {
  /** DATABASE_URL: when set, PostgreSQL; otherwise SQLite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
}

export function readAudit(source: AuditSource, since: string | undefined): Promise<AuditRecord[]> {
  return source.databaseUrl
    ? readPostgresAudit(source.databaseUrl, since)
    : Promise.resolve(readSqliteAudit(source.dataDir, since));
}

const SQLITE_AUDIT =
  'SELECT seq, request_id, at, event, actor, actor_name, conversation_id, detail FROM audit';

export function readSqliteAudit(dataDirSetting: string, since: string | undefined): AuditRecord[] {
  const dataDir = path.resolve(dataDirSetting);
  const file = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(file))
    throw new AuditReadError(
      `DATA_DIR ${dataDir} has no ${DATABASE_FILE}: no audit trail here. Set DATA_DIR to the bot's data folder.`,
    );
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new AuditReadError(`DATA_DIR ${dataDir}: cannot open ${DATABASE_FILE} (${describeOsError(e)}).`);
  }
  try {
    const version = userVersion(db);
    if (version < 1 || version > SCHEMA_VERSION)
      throw new AuditReadError(
        `DATA_DIR ${dataDir}: ${DATABASE_FILE} has schema version ${version}; this build reads 1 to ${SCHEMA_VERSION}.`,
      );
    // Only the audit table, which every schema version has: a backup from an older
    // release reads as well as the live file.
    const rows =
      since === undefined
        ? db.prepare<[], AuditRow>(`${SQLITE_AUDIT} ORDER BY seq`).all()
        : db.prepare<[string], AuditRow>(`${SQLITE_AUDIT} WHERE at >= ? ORDER BY seq`).all(since);
    return rows.map(fromAuditRow);
  } catch (e) {
    if (e instanceof AuditReadError) throw e;
    throw new AuditReadError(`DATA_DIR ${dataDir}: cannot read the audit trail (${describeOsError(e)}).`);
  } finally {
    db.close();
  }
}

export async function readPostgresAudit(url: string, since: string | undefined): Promise<AuditRecord[]> {
  const where = `DATABASE_URL ${redactDatabaseUrl(url)}`;
  const pool = createPool(url, silentLogger(), { max: 1, readOnly: true });
  try {
    const version = await pgSchemaVersion(pool);
    if (version < 1 || version > PG_SCHEMA_VERSION)
      throw new AuditReadError(
        version === 0
          ? `${where}: no request store in this database (no schema_migrations): no audit trail here.`
          : `${where}: schema version ${version}; this build reads 1 to ${PG_SCHEMA_VERSION}.`,
      );
    const { rows } =
      since === undefined
        ? await pool.query<PgAuditRow>(SQL.audit)
        : await pool.query<PgAuditRow>(SQL.auditSince, [since]);
    return rows.map(fromPgAuditRow);
  } catch (e) {
    if (e instanceof AuditReadError) throw e;
    throw new AuditReadError(
      `${where}: cannot read the audit trail (${scrubPassword(describeOsError(e), url)}).`,
    );
  } finally {
    await pool.end().catch(() => undefined);
  }
}
