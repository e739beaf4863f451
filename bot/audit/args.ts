import { AUDIT_FORMATS, type AuditFormat } from './export';

/**
 * Command-line arguments of `npm run audit`. Pure, so every refusal is unit-tested;
 * the message of an AuditUsageError is what the operator reads.
 */
export const AUDIT_USAGE = [
  'Usage: npm run audit -- [--since <date>] [--format jsonl|csv]',
  '',
  '  --since <date>   only entries at or after this time: 2025-01-15 (midnight UTC),',
  '                   2025-01-15T08:30 (UTC), 2025-01-15T08:30:00Z or 2025-01-15T09:30:00+01:00',
  '  --format <fmt>   jsonl (default): one JSON object per line; csv: a header and one row per entry',
  '',
  'Reads the audit trail from DATABASE_URL when set, else DATA_DIR (as the bot does), and writes it',
  'to standard output.',
].join('\n');

export interface AuditArgs {
  /** ISO-8601 UTC, as the store writes `at`, so the comparison is a plain text one. */
  since?: string;
  format: AuditFormat;
  help: boolean;
}

export class AuditUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditUsageError';
  }
}

export function parseAuditArgs(argv: readonly string[]): AuditArgs {
  const args: AuditArgs = { format: 'jsonl', help: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      continue;
    }
    const m = /^(--since|--format)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new AuditUsageError(`Unknown argument ${JSON.stringify(arg)}.`);
    const name = m[1]!;
    if (seen.has(name)) throw new AuditUsageError(`${name} is given twice.`);
    seen.add(name);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new AuditUsageError(`${name} needs a value.`);
    if (name === '--since') args.since = parseSince(value);
    else args.format = parseFormat(value);
  }
  return args;
}

function parseFormat(value: string): AuditFormat {
  const f = value.toLowerCase();
  if ((AUDIT_FORMATS as readonly string[]).includes(f)) return f as AuditFormat;
  throw new AuditUsageError(
    `--format ${JSON.stringify(value)} is not a format: use ${AUDIT_FORMATS.join(' or ')}.`,
  );
}

const SINCE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * A calendar date or date-time, as ISO-8601 UTC. Strict on purpose: Date.parse accepts
 * "1" (the year 2001) and "2025-02-30" (2 March), which would silently export the
 * wrong range. A time without a zone is taken as UTC, like the trail itself.
 */
export function parseSince(text: string): string {
  const bad = () =>
    new AuditUsageError(
      `--since ${JSON.stringify(text)} is not a date: use 2025-01-15, 2025-01-15T08:30 (UTC) ` +
        'or 2025-01-15T08:30:00+01:00.',
    );
  const m = SINCE.exec(text.trim());
  if (!m) throw bad();
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) =>
    v === undefined ? undefined : Number(v),
  ) as number[];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth || h > 23 || mi > 59 || s > 59) throw bad();
  let offsetMin = 0;
  const zone = m[8]?.toUpperCase();
  if (zone && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) throw bad();
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(y!, mo! - 1, d!);
  utc.setUTCHours(h, mi, s, ms);
  return new Date(utc.getTime() - offsetMin * 60_000).toISOString();
}
