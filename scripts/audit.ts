import { AUDIT_USAGE, AuditUsageError, parseAuditArgs } from '../bot/audit/args';
import { auditLines } from '../bot/audit/export';
import { AuditReadError, readAudit } from '../bot/audit/read';
import { ConfigError, loadConfig } from '../bot/config';

/**
 * `npm run audit -- [--since <date>] [--format jsonl|csv]`: the append-only audit trail
 * of every request, from the bot's own store (DATABASE_URL when set, else DATA_DIR; read
 * through loadConfig like index.ts), to standard output. The store is only read, never
 * created or migrated, so running this against a live bot or a copied backup changes
 * nothing (bot/audit/read.ts).
 * Exit codes: 0 done, 1 the store cannot be read, 2 bad arguments or configuration.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseAuditArgs(argv);
  if (args.help) {
    process.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  const records = await readAudit({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, args.since);
  for (const line of auditLines(records, args.format)) await write(line);
  return 0;
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
    } else if (e instanceof AuditReadError) {
      process.stderr.write(`audit: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`audit: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
