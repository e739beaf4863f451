import fc from 'fast-check';
import {
  BULK_MAX_DEVICES,
  formatBulkCommand,
  INACTIVE_MAX_DAYS,
  INACTIVE_MIN_DAYS,
  parseCommand,
  type MachineRef,
  type ParseResult,
  type Selectors,
} from '../../bot/commands';

/**
 * Property tests of the bulk forms (bot/commands/bulk.ts): generated lists, selectors
 * and comments come back as typed, in order; duplicates are refused; nothing crashes.
 */
const nameChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-üжя'.split(''),
);
const label = fc
  .array(nameChar, { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(''))
  .filter((l) => !l.startsWith('-') && !l.endsWith('-'));
const validName = fc
  .array(label, { minLength: 1, maxLength: 3 })
  .map((ls) => ls.join('.'))
  .filter(
    (n) => !/^\d+(\.|$)/.test(n) && !/^[0-9a-f]{30,50}$/i.test(n) && !/^(tag|group|inactive):/i.test(n),
  );
const deviceId = fc
  .array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: 40, maxLength: 40 })
  .map((cs) => cs.join(''));
const ref: fc.Arbitrary<MachineRef> = fc.oneof(
  { weight: 4, arbitrary: validName.map((name) => ({ by: 'name' as const, name })) },
  { weight: 1, arbitrary: deviceId.map((id) => ({ by: 'id' as const, id })) },
);
const key = (r: MachineRef) => (r.by === 'id' ? r.id : r.name.toLowerCase());
const uniqueRefs = (min: number) => fc.uniqueArray(ref, { minLength: min, maxLength: 30, selector: key });

const word = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
  .filter(
    (w) => /^[^\s,&<>]+$/u.test(w) && !/\p{Cc}|\p{Cf}|\p{Cs}/u.test(w) && !/^["'\u201C\u2018]/u.test(w),
  );
const comment = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));
const selectorValue = fc
  .array(word, { minLength: 1, maxLength: 3 })
  .map((ws) => ws.join(' '))
  .filter((v) => !/["\u201D]/u.test(v) || !/['\u2019]/u.test(v));
const selectors: fc.Arbitrary<Selectors> = fc
  .record(
    {
      tag: selectorValue,
      group: selectorValue,
      inactiveDays: fc.integer({ min: INACTIVE_MIN_DAYS, max: INACTIVE_MAX_DAYS }),
    },
    { requiredKeys: [] },
  )
  .filter((s) => s.tag !== undefined || s.group !== undefined);

type Bulk = Extract<ParseResult, { kind: 'offboard_bulk' }>;
const bulk = (devices: MachineRef[], s: Selectors, c: string): Bulk =>
  c === ''
    ? { kind: 'offboard_bulk', devices, selectors: s }
    : { kind: 'offboard_bulk', devices, selectors: s, comment: c };

const refText = (r: MachineRef) => (r.by === 'id' ? r.id : r.name);

describe('bulk parsing properties', () => {
  it('returns a typed list in order, with its comment, whatever the separators', () => {
    fc.assert(
      fc.property(
        uniqueRefs(2),
        comment,
        fc.constantFrom(', ', ',', ',\n', ' ,  ', '\n'),
        (devices, c, sep) => {
          // Line breaks alone separate only when `offboard` stands on its own line.
          const text =
            sep === '\n'
              ? `offboard\n${devices.map(refText).join('\n')}${c ? ` ${c}` : ''}`
              : `offboard ${refText(devices[0]!)},${sep.replace(/^ ?,/, '')}${devices.slice(1).map(refText).join(sep)}${c ? ` ${c}` : ''}`;
          expect(parseCommand({ text })).toEqual(bulk(devices, {}, c));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('round-trips selectors, lists and comments through the canonical text', () => {
    fc.assert(
      fc.property(
        selectors,
        fc.oneof(fc.constant<MachineRef[]>([]), uniqueRefs(2)),
        comment,
        (s, devices, c) => {
          const cmd = bulk(devices, s, c);
          expect(parseCommand({ text: formatBulkCommand(cmd) })).toEqual(cmd);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses a device named twice, wherever the copy is', () => {
    fc.assert(
      fc.property(uniqueRefs(1), fc.nat(), fc.boolean(), (devices, at, upper) => {
        const dup = devices[at % devices.length]!;
        const copy = dup.by === 'name' && upper ? dup.name.toUpperCase() : refText(dup);
        const list = [...devices.map(refText)];
        list.splice(at % (list.length + 1), 0, copy);
        const r = parseCommand({ text: `offboard ${list.join(', ')}` });
        // toUpperCase may change a name's length (ß → SS): then it is another name.
        if (copy.toLowerCase() !== refText(dup).toLowerCase()) return;
        expect(r).toMatchObject({ kind: 'invalid', code: 'duplicate_device' });
      }),
      { numRuns: 300 },
    );
  });

  it('never returns more devices than the limit, and never crashes', () => {
    const piece = fc.constantFrom(
      'ws-1',
      ',',
      ', ',
      '\n',
      'tag:',
      'group:"',
      '"',
      'inactive:',
      '30d',
      ' ',
      'x',
      'ü',
      "'",
      '\u201C',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (parts, max) => {
        const r = parseCommand({ text: `offboard ${parts.join('')}`, bulkMaxDevices: max });
        if (r.kind === 'offboard_bulk') {
          expect(r.devices.length).toBeLessThanOrEqual(max);
          expect(new Set(r.devices.map(key)).size).toBe(r.devices.length);
          expect(parseCommand({ text: formatBulkCommand(r), bulkMaxDevices: max })).toEqual(r);
        }
      }),
      { numRuns: 2000 },
    );
    expect(BULK_MAX_DEVICES).toBe(500);
  });
});
