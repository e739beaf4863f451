import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  DATABASE_FILE,
  openSqliteStore,
  StoreUnavailableError,
  type SqliteRequestStore,
} from '../../bot/store';
import { NETWORK_FILE_SYSTEMS, networkFileSystem } from '../../bot/store/sqlite-files';

/**
 * What the SQLite store does to the disk at start (issue #10, items 5 and 9; issue #12):
 * DATA_DIR 0700 and the database files 0600 (they hold names, comments and
 * conversation references); an exclusive lock so that a second bot process on the
 * same DATA_DIR refuses to start; and a network file system refused, by its statfs
 * type. The two-process case with SIGKILL is in store-lock.test.ts.
 */
const dirs: string[] = [];
const stores: SqliteRequestStore[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'offboarder-files-'));
  dirs.push(d);
  return d;
};
const track = (s: SqliteRequestStore) => (stores.push(s), s);
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

describe('file modes', () => {
  it('creates DATA_DIR 0700 and the database, its WAL and shared-memory files 0600', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    track(openSqliteStore({ dataDir }));
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`];
    const modes = Object.fromEntries([
      ['DATA_DIR', mode(dataDir)],
      ...files.map((f) => [f, mode(path.join(dataDir, f))]),
    ]);
    console.log(
      `store-files: modes after a first start with umask ${process.umask().toString(8)}: ${JSON.stringify(modes)}`,
    );
    expect(modes).toEqual({ DATA_DIR: '700', ...Object.fromEntries(files.map((f) => [f, '600'])) });
  });

  it('takes group and world access away from database files an older version left readable', async () => {
    const dataDir = tempDir();
    await openSqliteStore({ dataDir }).close();
    fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o664);
    track(openSqliteStore({ dataDir }));
    expect(mode(path.join(dataDir, DATABASE_FILE))).toBe('600');
    expect(mode(path.join(dataDir, `${DATABASE_FILE}-wal`))).toBe('600');
  });

  it('keeps a stricter mode as it is (a read-only 0400 file is not made writable)', async () => {
    const dataDir = tempDir();
    await openSqliteStore({ dataDir }).close();
    const file = path.join(dataDir, DATABASE_FILE);
    fs.chmodSync(file, 0o400);
    try {
      openSqliteStore({ dataDir }).close();
    } catch {
      /* root may open it anyway; either way the mode must stay */
    }
    expect(mode(file)).toBe('400');
  });
});

describe('exclusive lock', () => {
  it('a second exclusive open of one DATA_DIR is refused, naming DATA_DIR; readers still open it', async () => {
    const dataDir = tempDir();
    const first = track(openSqliteStore({ dataDir, exclusive: true }));
    let err: unknown;
    try {
      track(openSqliteStore({ dataDir, exclusive: true }));
    } catch (e) {
      err = e;
    }
    console.log(`store-files: second exclusive open: ${(err as Error | undefined)?.message}`);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toContain(`DATA_DIR ${dataDir}`);
    expect((err as Error).message).toMatch(/another Offboarder process/);
    // A reader (tests, `npm run audit`) is not a second bot: it opens without the lock.
    const reader = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    expect(reader.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    reader.close();
    track(openSqliteStore({ dataDir })).ping();
    await first.close();
    track(openSqliteStore({ dataDir, exclusive: true }));
  });

  it('the lock file is 0600 too', () => {
    const dataDir = tempDir();
    track(openSqliteStore({ dataDir, exclusive: true }));
    const lock = fs.readdirSync(dataDir).filter((f) => f.startsWith('offboarder.lock'));
    expect(lock.length).toBeGreaterThan(0);
    for (const f of lock) expect([f, mode(path.join(dataDir, f))]).toEqual([f, '600']);
  });
});

describe('network file systems (statfs type)', () => {
  it.each([
    [0x6969, 'NFS'],
    [0x517b, 'SMB'],
    [0xfe534d42, 'SMB2'],
    [0xff534d42, 'CIFS'],
    [0x65735546, 'FUSE'],
    // The same magic numbers as a signed 32-bit f_type (32-bit platforms).
    [0xfe534d42 | 0, 'SMB2'],
    [0xff534d42 | 0, 'CIFS'],
  ])('type 0x%s is refused as %s', (type, name) => {
    expect(networkFileSystem(type)).toBe(name);
  });

  it.each([
    [0xef53, 'ext2/3/4'],
    [0x58465342, 'xfs'],
    [0x9123683e, 'btrfs'],
    [0x01021994, 'tmpfs'],
    [0x794c7630, 'overlayfs'],
    [0x2fc12fc1, 'zfs'],
  ])('type 0x%s (%s) is local', (type) => {
    expect(networkFileSystem(type)).toBeUndefined();
  });

  it('names every refused type once', () => {
    expect(Object.keys(NETWORK_FILE_SYSTEMS).sort()).toEqual(['CIFS', 'FUSE', 'NFS', 'SMB', 'SMB2']);
  });

  it('the test machine temp folder is local, so the store opens on it', () => {
    expect(networkFileSystem(fs.statfsSync(os.tmpdir()).type)).toBeUndefined();
  });
});
