import fc from 'fast-check';
import { AuditUsageError, parseAuditArgs, parseSince } from '../../bot/audit/args';
import { auditLines, CSV_COLUMNS, csvCell, type AuditFormat } from '../../bot/audit/export';

const formatAudit = (records: AuditRecord[], format: AuditFormat) =>
  [...auditLines(records, format)].join('');
import type { HistoryEvent } from '../../bot/request/model';
import type { AuditRecord } from '../../bot/store';
import { hostileText } from './support/hostile-strings';
import { expectedCells, guarded, parseCsv } from './support/csv';

/**
 * bot/audit/export.ts and args.ts: the formats read back exactly (CSV through an
 * independent RFC 4180 reader), user text cannot start a spreadsheet formula, and the
 * command line refuses dates and formats it cannot read exactly.
 */
const EVENTS: HistoryEvent[] = [
  'created',
  'submitted',
  'approved',
  'rejected',
  'expired',
  'refused',
  'failed',
];
const text = fc.oneof(
  hostileText.filter((s) => s.length < 2000),
  fc.constantFrom('=1+1', '+A1', '-2', '@SUM(A1)', '\tx', '\r=x', '"', ',', '\r\n'),
);
const record: fc.Arbitrary<AuditRecord> = fc
  .record({
    seq: fc.integer({ min: 1, max: 1e9 }),
    requestId: fc.stringMatching(/^OFB-[0-9A-Z]{8}$/),
    at: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
    event: fc.constantFrom(...EVENTS),
    actor: fc.oneof(fc.uuid(), fc.constant('system')),
    actorName: fc.option(text, { nil: undefined }),
    conversationId: fc.option(text, { nil: undefined }),
    detail: fc.option(
      fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(text, fc.integer(), fc.boolean())),
      {
        nil: undefined,
      },
    ),
  })
  .map(
    (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as AuditRecord,
  );

test('CSV: header, one row per record, every cell reads back (formula-guarded)', () => {
  let records = 0;
  let guardedCells = 0;
  fc.assert(
    fc.property(fc.array(record, { maxLength: 8 }), (rs) => {
      const rows = parseCsv(formatAudit(rs, 'csv'));
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(rs.length + 1);
      rs.forEach((r, i) => {
        const want = expectedCells(r);
        expect(rows[i + 1]).toEqual(want.map(guarded));
        for (const cell of rows[i + 1]!) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        guardedCells += want.filter((w) => guarded(w) !== w).length;
        records++;
      });
    }),
    { numRuns: 500 },
  );
  console.log(
    `audit-export: CSV: ${records} generated records read back exactly, ${guardedCells} cells formula-guarded, 0 cells starting a formula`,
  );
});

test('JSON Lines: one line per record, each parses back to the record', () => {
  let records = 0;
  fc.assert(
    fc.property(fc.array(record, { maxLength: 8 }), (rs) => {
      const out = formatAudit(rs, 'jsonl');
      const lines = out.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(rs.length);
      lines.forEach((l, i) => expect(JSON.parse(l)).toEqual(rs[i]));
      expect(out).not.toMatch(/[\u2028\u2029]/);
      records += rs.length;
    }),
    { numRuns: 1000 },
  );
  console.log(`audit-export: JSONL: ${records} generated records, each one line that parses back exactly`);
});

test('csvCell: quoting and the formula guard', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('two\nlines')).toBe('"two\nlines"');
  expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  expect(csvCell('+1')).toBe("'+1");
  expect(csvCell('-1')).toBe("'-1");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('\t=1')).toBe("'\t=1");
  expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  expect(csvCell('a=b')).toBe('a=b');
  expect(csvCell('')).toBe('');
  console.log('audit-export: csvCell: 12 fixed cases (quoting, =, +, -, @, tab, CR) as expected');
});

test('--since: strict dates, as UTC ISO text', () => {
  expect(parseSince('2025-01-15')).toBe('2025-01-15T00:00:00.000Z');
  expect(parseSince('2025-01-15T08:30')).toBe('2025-01-15T08:30:00.000Z');
  expect(parseSince('2025-01-15T08:30:05.5Z')).toBe('2025-01-15T08:30:05.500Z');
  expect(parseSince('2025-01-15T09:30:00+01:00')).toBe('2025-01-15T08:30:00.000Z');
  expect(parseSince('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  const bad = [
    '',
    'yesterday',
    '1',
    '2025',
    '2025-1-5',
    '2025-02-30',
    '2023-02-29',
    '2025-13-01',
    '2025-01-15T24:00',
    '2025-01-15T08:60',
    '2025-01-15T08:30+25:00',
    '15/01/2025',
    '2025-01-15; DROP TABLE audit',
    '2025-01-15\n--format=csv',
  ];
  for (const s of bad) expect(() => parseSince(s)).toThrow(AuditUsageError);
  console.log(
    `audit-export: --since: 5 valid forms read exactly, ${bad.length} invalid dates refused with a usage message`,
  );
});

test('arguments: defaults, both spellings, and clear refusals', () => {
  expect(parseAuditArgs([])).toEqual({ format: 'jsonl', help: false });
  expect(parseAuditArgs(['--format', 'CSV', '--since=2025-01-15'])).toEqual({
    format: 'csv',
    since: '2025-01-15T00:00:00.000Z',
    help: false,
  });
  expect(parseAuditArgs(['-h']).help).toBe(true);
  const refusals: Array<[string[], RegExp]> = [
    [['--format', 'xml'], /not a format: use jsonl or csv/],
    [['--format'], /--format needs a value/],
    [['--since'], /--since needs a value/],
    [['--since', 'soon'], /not a date/],
    [['--format', 'csv', '--format', 'jsonl'], /given twice/],
    [['--out', 'x.csv'], /Unknown argument/],
    [['csv'], /Unknown argument/],
  ];
  for (const [argv, message] of refusals) expect(() => parseAuditArgs(argv)).toThrow(message);
  console.log(`audit-export: arguments: 3 valid command lines read, ${refusals.length} invalid ones refused`);
});
