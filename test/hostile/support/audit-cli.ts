import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CSV_COLUMNS } from '../../../bot/audit/export';
import type { AuditRecord } from '../../../bot/store';
import { expectedCells, guarded, parseCsv } from './csv';
import { childEnv, killAll, run } from './spawn';

/**
 * Runs scripts/audit.ts (as `npm run audit` will: tsx, DATA_DIR from the environment)
 * against a stopped bot's data folder and checks that both formats carry exactly the
 * trail the store holds, that --since filters, and that bad arguments are refused.
 */
const ROOT = resolve(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

const cli = (dataDir: string, args: string[]) =>
  run(TSX, ['scripts/audit.ts', ...args], {
    cwd: ROOT,
    env: childEnv({ DATA_DIR: dataDir }),
    timeoutMs: 30_000,
  });

export async function runAuditCli(dataDir: string, all: AuditRecord[]): Promise<void> {
  const empty = mkdtempSync(join(tmpdir(), 'offboarder-audit-empty-'));
  const middle = all[Math.floor(all.length / 2)]!.at;
  try {
    const [jsonl, csv, since, badDate, badFormat, noStore] = await Promise.all([
      cli(dataDir, []),
      cli(dataDir, ['--format', 'csv']),
      cli(dataDir, ['--since', middle, '--format=jsonl']),
      cli(dataDir, ['--since', 'last tuesday']),
      cli(dataDir, ['--format', 'xlsx']),
      cli(empty, []),
    ]);
    for (const r of [jsonl, csv, since])
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });

    const fromJsonl = jsonl.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(fromJsonl).toEqual(all);

    const rows = parseCsv(csv.stdout);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const cells = (r: AuditRecord) => expectedCells(r).map(guarded);
    expect(rows.slice(1)).toEqual(all.map(cells));

    const fromSince = since.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(fromSince).toEqual(all.filter((r) => r.at >= middle));

    expect([badDate.code, badFormat.code, noStore.code]).toEqual([2, 2, 1]);
    expect(badDate.stderr).toMatch(/--since "last tuesday" is not a date/);
    expect(badFormat.stderr).toMatch(/--format "xlsx" is not a format: use jsonl or csv/);
    expect(noStore.stderr).toMatch(/DATA_DIR .* has no offboarder\.db/);
    expect(existsSync(join(empty, 'offboarder.db'))).toBe(false); // read-only: nothing created
    expect(
      [jsonl, csv, since, badDate, badFormat, noStore].every((r) => r.stdout.length === 0 || r.code === 0),
    ).toBe(true);
    console.log(
      `audit-cli: ${all.length} entries exported as JSONL and CSV (${rows.length - 1} rows), identical to the store; ` +
        `--since kept ${fromSince.length}; 3 bad invocations refused (exit 2, 2, 1)`,
    );
  } finally {
    killAll();
    rmSync(empty, { recursive: true, force: true });
  }
}
