import type { AuditRecord } from '../../../bot/store';
/**
 * A strict RFC 4180 reader, written apart from bot/audit/export.ts so a round trip
 * checks the writer rather than mirroring it: rows end with CRLF, a quoted field may
 * hold commas, CR, LF and doubled quotes, and a quote anywhere else is an error.
 */
/** The CSV cells an audit record must export as, spelled out independently of the exporter. */
export function expectedCells(r: AuditRecord): string[] {
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

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const field = (): string => {
    if (text[i] !== '"') {
      const start = i;
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        i++;
      }
      return text.slice(start, i);
    }
    let out = '';
    i++;
    for (;;) {
      if (i >= text.length) throw new Error('unterminated quoted field');
      if (text[i] === '"') {
        if (text[i + 1] === '"') {
          out += '"';
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      out += text[i++];
    }
  };
  while (i < text.length) {
    row.push(field());
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      i += 2;
      rows.push(row);
      row = [];
      continue;
    }
    throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 10))}`);
  }
  if (row.length) throw new Error('last row has no CRLF');
  return rows;
}

/** What a cell must read for `value`: a leading apostrophe before = + - @ TAB CR (OWASP). */
export function guarded(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
