import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { describeOsError, StoreUnavailableError } from './errors';
import { migrate, userVersion } from './sqlite-schema';
import { SqliteRequestStore } from './sqlite-store';

export { SqliteRequestStore } from './sqlite-store';

export const DATABASE_FILE = 'offboarder.db';

/** How long a write waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export interface SqliteStoreOptions {
  /** DATA_DIR: created when missing; must be writable. */
  dataDir: string;
  logger?: Logger;
  /** Stamps `recorded_at` on audit rows. */
  clock?: Clock;
}

/**
 * Opens (creating when needed) `<dataDir>/offboarder.db` and migrates its schema.
 * Any failure to get a writable database throws StoreUnavailableError naming
 * DATA_DIR and the OS or SQLite error, so a bad deployment fails at start-up with a
 * message that says what to fix.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteRequestStore {
  const dataDir = path.resolve(options.dataDir);
  const logger = options.logger ?? silentLogger();
  const file = path.join(dataDir, DATABASE_FILE);
  step(dataDir, 'cannot create the data folder', () => makeDir(dataDir));
  // access(2) reports a read-only folder or mount up front (EACCES, EROFS). Root
  // passes permission checks, so SQLite's own errors below are the second net.
  step(dataDir, 'the data folder is not writable', () => fs.accessSync(dataDir, fs.constants.W_OK));
  if (fs.existsSync(file)) {
    step(dataDir, `${DATABASE_FILE} is not writable`, () =>
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK),
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    configure(db, dataDir, logger);
    migrate(db, dataDir, logger);
    logger.info({ file, schemaVersion: userVersion(db) }, 'request store opened');
    return new SqliteRequestStore(db, dataDir, options.clock ?? systemClock, logger);
  } catch (e) {
    db?.close();
    if (e instanceof StoreUnavailableError) throw e;
    throw unavailable(dataDir, `cannot open ${DATABASE_FILE}`, e);
  }
}

function configure(db: Database.Database, dataDir: string, logger: Logger): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL: readers never block the writer, and a commit is one append to the log.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') logger.warn({ dataDir, journalMode: mode }, 'WAL not available on this file system');
  // FULL: in WAL mode, NORMAL does not sync the log on commit, so a power cut or OS
  // crash can drop the last commits (the database stays consistent, the data is gone).
  // An approval or a "Defender call started" mark must survive that, or the bot could
  // offboard twice or lose an approval; FULL fsyncs the log on every commit
  // (https://sqlite.org/pragma.html#pragma_synchronous). Our write rate is tiny.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // The schema contains no functions from outside: refuse ones smuggled into a file.
  db.pragma('trusted_schema = OFF');
}

function step(dataDir: string, what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw unavailable(dataDir, what, e);
  }
}

function unavailable(dataDir: string, what: string, cause: unknown): StoreUnavailableError {
  return new StoreUnavailableError(
    `DATA_DIR ${dataDir}: ${what} (${describeOsError(cause)}). Point DATA_DIR at a writable folder with free space.`,
    { dataDir, cause },
  );
}

/**
 * mkdir -p without Node's recursive mkdirSync, which loops forever on paths such as
 * /proc/x (mkdir answers ENOENT although the parent exists). Parents first, then one
 * plain mkdirSync, whose error (ENOENT, ENOTDIR, EACCES, EROFS…) reaches the caller.
 */
function makeDir(dir: string, target = true): void {
  if (fs.existsSync(dir)) {
    // DATA_DIR itself a file: let mkdir say so (EEXIST) rather than SQLite later. A file
    // as a parent is left to the child's mkdir, which names it (ENOTDIR).
    if (target && !fs.statSync(dir).isDirectory()) fs.mkdirSync(dir);
    return;
  }
  const parent = path.dirname(dir);
  if (parent !== dir) makeDir(parent, false);
  fs.mkdirSync(dir);
}
