import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * What the SQLite store asks of its folder, apart from SQL: a local file system, owner-only
 * file modes (the database holds names, comments and conversation references), and an
 * exclusive lock so that only one bot process uses a DATA_DIR.
 */

/**
 * statfs(2) `f_type` magic numbers (linux/magic.h) of network file systems. SQLite's
 * locking is unreliable on them (https://sqlite.org/faq.html#q5), and two hosts could
 * then both hold the "exclusive" lock below.
 */
export const NETWORK_FILE_SYSTEMS = {
  NFS: 0x6969,
  SMB: 0x517b,
  SMB2: 0xfe534d42,
  CIFS: 0xff534d42,
  FUSE: 0x65735546,
} as const;

/** The name of the network file system with this statfs type, or undefined when local. Pure. */
export function networkFileSystem(type: number): keyof typeof NETWORK_FILE_SYSTEMS | undefined {
  // f_type is a signed word on some platforms: compare as unsigned 32-bit.
  const magic = type >>> 0;
  const hit = Object.entries(NETWORK_FILE_SYSTEMS).find(([, m]) => m === magic);
  return hit?.[0] as keyof typeof NETWORK_FILE_SYSTEMS | undefined;
}

/** statfs of `dir` (Node 18.15+); undefined where the platform cannot say. */
export function fileSystemType(dir: string): number | undefined {
  try {
    return fs.statfsSync(dir).type;
  } catch {
    return undefined;
  }
}

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/**
 * Creates `file` empty with mode 0600 when missing: SQLite gives its -wal, -shm and
 * -journal files the mode of the database file. An existing file keeps its owner bits
 * and loses group and world access (a read-only 0400 file stays read-only).
 */
export function ownerOnlyFile(file: string): void {
  try {
    const { O_CREAT, O_EXCL, O_WRONLY } = fs.constants;
    fs.closeSync(fs.openSync(file, O_CREAT | O_EXCL | O_WRONLY, FILE_MODE));
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  tighten(file);
}

/**
 * Removes group and world access from `file` if it is a regular file with any. Not
 * through a symlink: a link to /dev/full (a test) or elsewhere is not ours to change.
 */
export function tighten(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return;
  }
  if (stat.isFile() && stat.mode & 0o077) fs.chmodSync(file, stat.mode & 0o700);
}

export const LOCK_FILE = 'offboarder.lock';

/**
 * An exclusive lock on `<dataDir>/offboarder.lock`, held by an SQLite connection in
 * EXCLUSIVE locking mode: a POSIX advisory lock, which the kernel drops when the
 * process dies, SIGKILL included, so a crashed bot never blocks its restart. Readers of
 * offboarder.db (`npm run audit`, a second connection) are not affected. Returns the
 * connection to close on shutdown, or throws `busy` when another process holds it.
 */
export function takeLock(dataDir: string): { release(): void } {
  const file = path.join(dataDir, LOCK_FILE);
  ownerOnlyFile(file);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the EXCLUSIVE lock, which this locking mode keeps until close.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
    db.prepare('DELETE FROM holder').run();
    db.prepare('INSERT INTO holder VALUES (?)').run(process.pid);
  } catch (e) {
    db.close();
    throw e;
  }
  return { release: () => db.close() };
}

/** SQLITE_BUSY from takeLock: another process holds the lock. */
export function isLockBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}
