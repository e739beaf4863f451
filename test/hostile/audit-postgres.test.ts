import { join, resolve } from 'node:path';
import type { HistoryEntry, OffboardRequest } from '../../bot/request/model';
import type { AuditRecord } from '../../bot/store';
import { openPostgresStore } from '../../bot/store/postgres';
import { startPostgres, type PostgresServer } from '../support/postgres-server';
import { expectedCells, guarded, parseCsv } from './support/csv';
import { childEnv, killAll, run } from './support/spawn';

/**
 * `npm run audit` with DATABASE_URL: the same export as from SQLite, read from a
 * throwaway PostgreSQL server; the session is read-only (a database without a store
 * stays without one), and the password never appears in what the tool prints.
 */
jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const cli = (databaseUrl: string, args: string[]) =>
  run(TSX, ['scripts/audit.ts', ...args], {
    cwd: ROOT,
    // DATA_DIR points nowhere useful: the export must come from DATABASE_URL.
    env: childEnv({ DATABASE_URL: databaseUrl, DATA_DIR: '/nonexistent/offboarder-data' }),
    timeoutMs: 30_000,
  });

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  killAll();
  await pg?.stop();
});

function request(id: string, machine: string, at: string): OffboardRequest {
  return {
    id,
    version: 0,
    tenantId: 't',
    state: 'draft',
    requester: { aadObjectId: 'u-1', name: 'Ann' },
    approvalsRequired: 1,
    approvals: [],
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    conversation: { conversationId: 'c', reference: {} },
    targets: [
      {
        machineId: machine,
        computerDnsName: 'ws',
        machine: { id: machine, computerDnsName: 'ws', machineTags: [] },
        execution: {},
      },
    ],
    history: [{ at, event: 'created', actor: 'u-1', actorName: '=HYPERLINK("x")', conversationId: 'c' }],
  };
}

test('exports the trail from PostgreSQL as JSONL and CSV, filters by --since, changes nothing', async () => {
  const databaseUrl = await pg.createDatabase();
  const store = await openPostgresStore({ databaseUrl });
  const a = await store.create(request('OFB-00000001', 'a'.repeat(40), '2025-01-01T10:00:00.000Z'));
  await store.create(request('OFB-00000002', 'b'.repeat(40), '2025-01-01T11:00:00.000Z'));
  const approved: HistoryEntry = {
    at: '2025-01-01T12:00:00.000Z',
    event: 'approved',
    actor: 'u-2',
    actorName: 'Bo, "the approver"',
    detail: { approvals: 1, final: false },
  };
  await store.update({ ...a, history: [...a.history, approved] });
  const all: AuditRecord[] = await store.audit();
  await store.close();
  expect(all).toHaveLength(3);

  const emptyUrl = await pg.createDatabase();
  const [jsonl, csv, since, noStore] = await Promise.all([
    cli(databaseUrl, []),
    cli(databaseUrl, ['--format', 'csv']),
    cli(databaseUrl, ['--since', '2025-01-01T11:00:00Z']),
    cli(emptyUrl, []),
  ]);
  for (const r of [jsonl, csv, since])
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const parse = (out: string) =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
  expect(parse(jsonl.stdout)).toEqual(all);
  expect(parseCsv(csv.stdout).slice(1)).toEqual(all.map((r) => expectedCells(r).map(guarded)));
  expect(parse(since.stdout).map((r) => r.event)).toEqual(['created', 'approved']);

  expect(noStore.code).toBe(1);
  expect(noStore.stderr).toMatch(
    /DATABASE_URL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/test_\w+.*no request store/,
  );
  const secret = decodeURIComponent(new URL(databaseUrl).password);
  for (const r of [jsonl, csv, since, noStore]) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  // Read-only session: the empty database did not get a schema_migrations table.
  const db = new URL(emptyUrl).pathname.slice(1);
  await expect(pg.query(db, 'SELECT 1 FROM schema_migrations')).rejects.toThrow(/does not exist/);
});

test('refuses an unreachable DATABASE_URL with exit 1, naming it without the password', async () => {
  const down = new URL(pg.url('nothing'));
  down.port = '1';
  const r = await cli(down.toString(), []);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /audit: DATABASE_URL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nothing.*ECONNREFUSED/,
  );
  expect(r.stderr).not.toContain(decodeURIComponent(down.password));
});
