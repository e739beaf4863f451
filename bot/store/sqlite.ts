import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { describeOsError, StoreUnavailableError } from './store-errors';
import { migrate, userVersion } from './sqlite-schema';
import {
  DIR_MODE,
  fileSystemType,
  isLockBusy,
  LOCK_FILE,
  networkFileSystem,
  ownerOnlyFile,
  takeLock,
  tighten,
} from './sqlite-files';
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
  /**
   * The bot's own store: hold an exclusive lock on DATA_DIR until close, so a second
   * bot process on the same folder refuses to start. Readers (tests, tools) leave it off.
   */
  exclusive?: boolean;
}

/**
 * Opens (creating when needed) `<dataDir>/offboarder.db` and migrates its schema.
 * Any failure to get a writable database throws StoreUnavailableError naming
 * DATA_DIR and the OS or SQLite error, so a bad deployment fails at start-up with a
 * message that says what to fix. DATA_DIR is created 0700 and the database files
 * 0600; a network file system is refused (sqlite-files.ts).
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteRequestStore {
  const dataDir = path.resolve(options.dataDir);
  const logger = options.logger ?? silentLogger();
  const file = path.join(dataDir, DATABASE_FILE);
  step(dataDir, 'cannot create the data folder', () => makeDir(dataDir));
  refuseNetworkFileSystem(dataDir);
  warnIfShared(dataDir, logger);
  // access(2) reports a read-only folder or mount up front (EACCES, EROFS). Root
  // passes permission checks, so SQLite's own errors below are the second net.
  step(dataDir, 'the data folder is not writable', () => fs.accessSync(dataDir, fs.constants.W_OK));
  if (fs.existsSync(file)) {
    step(dataDir, `${DATABASE_FILE} is not writable`, () =>
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK),
    );
  }
  const lock = options.exclusive ? lockDataDir(dataDir) : undefined;
  let db: Database.Database | undefined;
  try {
    step(dataDir, `cannot restrict ${DATABASE_FILE} to its owner`, () => {
      ownerOnlyFile(file);
      tighten(`${file}-wal`);
      tighten(`${file}-shm`);
    });
    db = new Database(file);
    configure(db, dataDir, logger);
    migrate(db, dataDir, logger);
    logger.info({ file, schemaVersion: userVersion(db) }, 'request store opened');
    const clock = options.clock ?? systemClock;
    return lock
      ? new LockedSqliteStore(db, dataDir, clock, logger, lock)
      : new SqliteRequestStore(db, dataDir, clock, logger);
  } catch (e) {
    db?.close();
    lock?.release();
    if (e instanceof StoreUnavailableError) throw e;
    throw unavailable(dataDir, `cannot open ${DATABASE_FILE}`, e);
  }
}

/** Releases the DATA_DIR lock once the database is closed. */
class LockedSqliteStore extends SqliteRequestStore {
  constructor(
    db: Database.Database,
    dataDir: string,
    clock: Clock,
    logger: Logger,
    private readonly lock: { release(): void },
  ) {
    super(db, dataDir, clock, logger);
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.lock.release();
    }
  }
}

function lockDataDir(dataDir: string): { release(): void } {
  try {
    return takeLock(dataDir);
  } catch (e) {
    if (isLockBusy(e))
      throw new StoreUnavailableError(
        `DATA_DIR ${dataDir}: another Offboarder process is using this data folder (it holds ${LOCK_FILE}). ` +
          'Stop that process first, or give each bot its own DATA_DIR.',
        { dataDir, cause: e },
      );
    throw unavailable(dataDir, `cannot lock ${LOCK_FILE}`, e);
  }
}

/** SQLite locking is unreliable on network file systems (sqlite-files.ts). */
function refuseNetworkFileSystem(dataDir: string): void {
  const type = fileSystemType(dataDir);
  const name = type === undefined ? undefined : networkFileSystem(type);
  if (name)
    throw new StoreUnavailableError(
      `DATA_DIR ${dataDir} is on a network file system (${name}), where SQLite's locking cannot be trusted. ` +
        'Point DATA_DIR at a local disk, or set DATABASE_URL to use PostgreSQL.',
      { dataDir },
    );
}

/** An existing folder keeps its mode (it may be a shared volume): a warning only. */
function warnIfShared(dataDir: string, logger: Logger): void {
  const mode = fs.statSync(dataDir).mode & 0o777;
  if (mode & 0o077)
    logger.warn(
      { dataDir, mode: mode.toString(8) },
      'DATA_DIR is readable by other users; the database holds names and comments: chmod 700 it',
    );
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
  // DATA_DIR itself owner-only; parents as the umask says.
  fs.mkdirSync(dir, target ? DIR_MODE : undefined);
}
