/**
 * A throwaway PostgreSQL server for tests: `initdb` into a fresh temporary folder,
 * `pg_ctl start` on a free 127.0.0.1 port with its Unix socket inside that folder, and
 * `stop()` shuts it down and deletes the folder. One server per test file (beforeAll /
 * afterAll); `createDatabase()` gives each suite an empty database.
 *
 * PostgreSQL refuses to run as root, so as root (CI) initdb and pg_ctl run as the
 * `postgres` system user through `runuser`, in a folder that user owns. Missing server
 * binaries fail the test with an install hint: no test is ever skipped for want of a
 * server, and none uses a server it did not start.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface PostgresServer {
  readonly port: number;
  /** Superuser URL of database `db` (password included: tests only). */
  url(db?: string): string;
  /** Creates an empty database with a fresh name; returns its URL. */
  createDatabase(): Promise<string>;
  /** Runs one statement as superuser in database `db`. */
  query(db: string, sql: string): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
  /** Stops the server (fast shutdown: connections are cut), waits `downMs`, starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. ' +
  'Install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), ' +
  'or run .ci/run, which installs them. The PostgreSQL tests start their own server and never skip.';

/** The directory holding initdb and pg_ctl: PATH first, then Debian's versioned folders (newest). */
export function findPostgresBin(
  env: Record<string, string | undefined> = process.env,
  root = '/usr/lib/postgresql',
): string {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (isFile(path.join(dir, 'initdb')) && isFile(path.join(dir, 'pg_ctl'))) return dir;
  }
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => isFile(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(root, versions[0], 'bin');
  throw new Error(env.CI === 'true' ? `CI: ${INSTALL_HINT}` : INSTALL_HINT);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

const isRoot = process.getuid?.() === 0;

/** uid and gid of the `postgres` system user (root only). */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error(
      'Running as root, but there is no `postgres` system user to run PostgreSQL as (PostgreSQL refuses ' +
        "root). Debian's postgresql package creates it: apt-get install postgresql.",
    );
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs a server binary, as `postgres` when we are root; throws with its output on failure. */
function runBin(bin: string, args: string[], cwd: string): void {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', SUPERUSER, '--', bin, ...args]] : [bin, args];
  const res = spawnSync(cmd, argv, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0)
    throw new Error(
      `${path.basename(bin)} failed (${res.error?.message ?? `exit ${res.status}`}): ${res.stderr}${res.stdout}`,
    );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const running = new Set<() => void>();
// Last resort when a test file dies without afterAll: stop what we started.
process.once('exit', () => {
  for (const stop of running) stop();
});

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = fs.mkdtempSync(path.join(isRoot ? '/tmp' : os.tmpdir(), 'offboarder-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const password = randomBytes(12).toString('hex');
  let started = false;
  const stopSync = () => {
    if (started) spawnSyncQuiet(bin, ['stop', '-D', data, '-m', 'immediate', '-w'], dir);
    started = false;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    fs.chmodSync(dir, 0o711);
    fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
    if (isRoot) {
      const { uid, gid } = postgresUser();
      fs.chownSync(dir, uid, gid);
      fs.chownSync(path.join(dir, 'pwfile'), uid, gid);
    }
    runBin(
      path.join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        SUPERUSER,
        `--pwfile=${path.join(dir, 'pwfile')}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      dir,
    );
    fs.rmSync(path.join(dir, 'pwfile'));
    let port = 0;
    let options = '';
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=50',
      ].join(' ');
      try {
        running.add(stopSync);
        started = true;
        runBin(
          path.join(bin, 'pg_ctl'),
          ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-o', options],
          dir,
        );
        break;
      } catch (e) {
        started = false;
        // Someone may have taken the port between freePort() and the bind: try another.
        if (attempt >= 3 || !/already in use/.test(readLog(logFile))) throw e;
      }
    }
    const url = (db = 'postgres') =>
      `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${encodeURIComponent(db)}?sslmode=disable`;
    const query = async (db: string, sql: string) => {
      const client = new Client({ connectionString: url(db) });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    let databases = 0;
    return {
      port,
      url,
      query,
      async createDatabase() {
        const name = `test_${process.pid}_${++databases}`;
        await query('postgres', `CREATE DATABASE ${name}`);
        return url(name);
      },
      log: () => readLog(logFile),
      async restart(downMs = 0) {
        runBin(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w'], dir);
        await new Promise((r) => setTimeout(r, downMs));
        runBin(
          path.join(bin, 'pg_ctl'),
          ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-o', options],
          dir,
        );
      },
      async stop() {
        running.delete(stopSync);
        stopSync();
      },
    };
  } catch (e) {
    const log = readLog(logFile);
    running.delete(stopSync);
    stopSync();
    throw new Error(`${(e as Error).message}${log ? `\nserver log:\n${log}` : ''}`, { cause: e });
  }
}

function spawnSyncQuiet(bin: string, args: string[], cwd: string): void {
  const pgCtl = path.join(bin, 'pg_ctl');
  const [cmd, argv] = isRoot ? ['runuser', ['-u', SUPERUSER, '--', pgCtl, ...args]] : [pgCtl, args];
  spawnSync(cmd, argv, { cwd, stdio: 'ignore', timeout: 30_000 });
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
