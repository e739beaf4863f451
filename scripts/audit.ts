import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AUDIT_USAGE, AuditUsageError, parseAuditArgs } from '../bot/audit/args';
import { auditLines } from '../bot/audit/export';
import { systemClock } from '../bot/clock';
import { ConfigError, loadConfig } from '../bot/config';
import { silentLogger } from '../bot/log';
import { DATABASE_FILE, SqliteRequestStore } from '../bot/store';
import { describeOsError } from '../bot/store/errors';
import { SCHEMA_VERSION, userVersion } from '../bot/store/sqlite-schema';

/**
 * `npm run audit -- [--since <date>] [--format jsonl|csv]`: the append-only audit trail
 * of every request, from the bot's own store (DATA_DIR, read through loadConfig like
 * index.ts), to standard output. The database is opened read-only and never created or
 * migrated, so running this against a live bot or a copied backup changes nothing.
 * Exit codes: 0 done, 1 the store cannot be read, 2 bad arguments or configuration.
 */
class StoreReadError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseAuditArgs(argv);
  if (args.help) {
    process.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  const dataDir = path.resolve(config.dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(file))
    throw new StoreReadError(
      `DATA_DIR ${dataDir} has no ${DATABASE_FILE}: no audit trail here. Set DATA_DIR to the bot's data folder.`,
    );
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StoreReadError(`DATA_DIR ${dataDir}: cannot open ${DATABASE_FILE} (${describeOsError(e)}).`);
  }
  try {
    const version = userVersion(db);
    if (version < 1 || version > SCHEMA_VERSION)
      throw new StoreReadError(
        `DATA_DIR ${dataDir}: ${DATABASE_FILE} has schema version ${version}; this build reads 1 to ${SCHEMA_VERSION}.`,
      );
    const store = new SqliteRequestStore(db, dataDir, systemClock, silentLogger());
    const records = await store.audit(args.since === undefined ? {} : { since: args.since });
    for (const line of auditLines(records, args.format)) await write(line);
    return 0;
  } catch (e) {
    if (e instanceof StoreReadError) throw e;
    throw new StoreReadError(`DATA_DIR ${dataDir}: cannot read the audit trail (${describeOsError(e)}).`);
  } finally {
    db.close();
  }
}

/** Honours back-pressure, so a large trail piped into a slow reader is not buffered whole. */
function write(chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

// `npm run audit | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof AuditUsageError) {
      process.stderr.write(`audit: ${e.message}\n\n${AUDIT_USAGE}\n`);
      process.exitCode = 2;
    } else if (e instanceof ConfigError) {
      process.stderr.write(`audit: ${e.message}\n`);
      process.exitCode = 2;
    } else if (e instanceof StoreReadError) {
      process.stderr.write(`audit: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`audit: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
