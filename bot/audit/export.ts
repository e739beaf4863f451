import type { AuditRecord } from '../store/types';

/**
 * The audit trail as text: JSON Lines (one record per line) or CSV (RFC 4180: a header,
 * CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled).
 * Pure: records in, text out; scripts/audit.ts does the reading and writing.
 *
 * Display names and reasons come from users, so a CSV cell could start a spreadsheet
 * formula ("=HYPERLINK(...)", "@SUM(...)"). Cells starting with =, +, -, @, tab or
 * carriage return get a leading apostrophe, as OWASP's "CSV Injection" page advises;
 * JSON Lines is data, not a spreadsheet, and is left exact.
 */
export const AUDIT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** CSV columns, in order; `detail` holds the record's detail object as JSON. */
export const CSV_COLUMNS = [
  'seq',
  'requestId',
  'at',
  'event',
  'actor',
  'actorName',
  'conversationId',
  'detail',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: formula-guarded, then quoted when it has to be. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

function csvCells(r: AuditRecord): string[] {
  return [
    String(r.seq),
    r.requestId,
    r.at,
    r.event,
    r.actor,
    r.actorName ?? '',
    r.conversationId ?? '',
    r.detail === undefined ? '' : JSON.stringify(r.detail),
  ];
}

/**
 * One record as one JSON line, keys in a fixed order. U+2028 and U+2029 are escaped
 * too: JSON allows them raw, but some line-oriented readers split on them.
 */
export function jsonLine(r: AuditRecord): string {
  const ordered = {
    seq: r.seq,
    requestId: r.requestId,
    at: r.at,
    event: r.event,
    actor: r.actor,
    ...(r.actorName !== undefined ? { actorName: r.actorName } : {}),
    ...(r.conversationId !== undefined ? { conversationId: r.conversationId } : {}),
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
  };
  return JSON.stringify(ordered)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The export line by line, each with its line end (CRLF for CSV, LF for JSON Lines). */
export function* auditLines(records: Iterable<AuditRecord>, format: AuditFormat): Generator<string> {
  if (format === 'csv') {
    yield `${csvRow(CSV_COLUMNS)}\r\n`;
    for (const r of records) yield `${csvRow(csvCells(r))}\r\n`;
    return;
  }
  for (const r of records) yield `${jsonLine(r)}\n`;
}
