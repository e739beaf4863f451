import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childEnv, freePort, isListening, killAll, run, type RunResult } from './support/spawn';

/**
 * The real entry point (`tsx index.ts`, sandbox mode, Playground off) started on a data
 * folder it cannot use must exit non-zero within seconds with a message naming
 * DATA_DIR, and leave nothing listening: a clear error, not a half-running bot.
 * Every case works as root too (CI), where chmod would not stop a write:
 * - read-only: /sys refuses mkdir even to root (EPERM; EACCES as a user);
 * - disk full: offboarder.db is a symlink to /dev/full, whose writes fail with ENOSPC,
 *   which SQLite reports as SQLITE_FULL. No mount or privilege needed.
 */
jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** tsx compiles index.ts on start: 4–7 s on a warm machine, more with five in parallel. */
const EXIT_WITHIN_MS = 25_000;
const tmp = mkdtempSync(join(tmpdir(), 'offboarder-store-start-'));

interface Case {
  name: string;
  dataDir: string;
  /** The OS / SQLite error the message should quote. */
  cause: RegExp;
  skip?: string;
}

function cases(): Case[] {
  const file = join(tmp, 'regular-file');
  writeFileSync(file, 'not a folder');
  const full = join(tmp, 'full');
  mkdirSync(full);
  if (existsSync('/dev/full')) symlinkSync('/dev/full', join(full, 'offboarder.db'));
  const garbage = join(tmp, 'garbage');
  mkdirSync(garbage);
  writeFileSync(join(garbage, 'offboarder.db'), Buffer.alloc(8192, 0x5a));
  return [
    { name: 'under a regular file (ENOTDIR)', dataDir: join(file, 'data'), cause: /ENOTDIR/ },
    { name: 'a regular file itself', dataDir: file, cause: /EEXIST|ENOTDIR/ },
    { name: 'read-only, /sys (even for root)', dataDir: '/sys/offboarder-test', cause: /EPERM|EACCES|EROFS/ },
    {
      name: 'read-only, /proc (even for root)',
      dataDir: '/proc/offboarder-test',
      cause: /ENOENT|EPERM|EACCES|EROFS/,
    },
    {
      name: 'disk full (offboarder.db -> /dev/full)',
      dataDir: full,
      cause: /SQLITE_FULL|ENOSPC/,
      skip: existsSync('/dev/full') ? undefined : 'no /dev/full on this system',
    },
    { name: 'not a database', dataDir: garbage, cause: /SQLITE_NOTADB|not a database/ },
  ];
}

const CASES = cases();
const results = new Map<string, RunResult & { ports: number[]; listening: boolean }>();

beforeAll(async () => {
  await Promise.all(
    CASES.filter((c) => !c.skip).map(async (c) => {
      const ports = [await freePort(), await freePort()];
      const env = childEnv({
        PLAYGROUND: 'false',
        HOST: '127.0.0.1',
        PORT: String(ports[0]),
        SIMULATOR_PORT: String(ports[1]),
        DATA_DIR: c.dataDir,
        LOG_LEVEL: 'info',
      });
      const r = await run(TSX, ['index.ts'], { cwd: ROOT, env, timeoutMs: EXIT_WITHIN_MS });
      const listening = (await Promise.all(ports.map(isListening))).some(Boolean);
      results.set(c.name, { ...r, ports, listening });
    }),
  );
  const done = [...results.values()];
  const clear = CASES.filter((c) => {
    const r = results.get(c.name);
    return r && !r.timedOut && r.code !== 0 && r.stderr.includes(`DATA_DIR ${resolve(c.dataDir)}`);
  });
  console.log(
    `store-start: ${done.length} unusable DATA_DIRs (${CASES.filter((c) => c.skip).length} skipped), ` +
      `${clear.length} exited non-zero with a message naming DATA_DIR, slowest ${Math.max(...done.map((r) => r.ms))} ms, ` +
      `${done.filter((r) => r.listening).length} left a port listening\n` +
      CASES.map((c) => {
        const r = results.get(c.name);
        return r
          ? `${c.name}: ${r.timedOut ? `still running after ${r.ms} ms (killed)` : `exit ${r.code} after ${r.ms} ms`}`
          : `${c.name}: skipped (${c.skip})`;
      }).join('\n'),
  );
});

afterAll(() => {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
});

test.each(CASES.map((c) => [c.name, c] as const))(
  'DATA_DIR %s: exits non-zero, names DATA_DIR, nothing listening',
  (_n, c) => {
    if (c.skip) return console.log(`store-start: ${c.name} skipped: ${c.skip}`);
    const r = results.get(c.name)!;
    expect({ timedOut: r.timedOut, listening: r.listening }).toEqual({ timedOut: false, listening: false });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const line = r.stderr.split('\n').find((l) => l.startsWith('Offboarder cannot start'));
    expect(line).toContain(`DATA_DIR ${resolve(c.dataDir)}`);
    expect(line).toMatch(c.cause);
    expect(line).toMatch(/Point DATA_DIR at a writable folder/);
  },
);
