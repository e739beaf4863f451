import fc from 'fast-check';
import {
  COMMAND_WORDS,
  MAX_COMMENT_CHARS,
  newRequestId,
  parseCommand,
  REQUEST_ID_PATTERN,
  type ParseResult,
} from '../../bot/commands';

/**
 * Property tests: the parser is total and nothing outside the host-name grammar can
 * come out as a device name. Run counts keep this file around 2–4 s.
 */
const MENTION = '<at>Offboarder</at>';
const KINDS = ['offboard', 'offboard_bulk', 'status', 'pending', 'cancel', 'help', 'unknown', 'invalid'];

/** The grammar restated independently of the implementation (see bot/commands/host-name.ts). */
function isAllowedName(name: string): boolean {
  const chars = Array.from(name);
  if (chars.length === 0 || chars.length > 253) return false;
  if (
    !chars.every((c) => /^[\p{L}\p{M}\p{Nd}_.-]$/u.test(c) && !/\p{Default_Ignorable_Code_Point}/u.test(c))
  ) {
    return false;
  }
  return name.split('.').every((label) => {
    const n = Array.from(label).length;
    return n >= 1 && n <= 63 && !label.startsWith('-') && !label.endsWith('-') && !/^\p{M}/u.test(label);
  });
}

/** Characters that must never reach a Defender URL or OData filter through a name. */
const NEVER_IN_NAME = /['"%/\\\s\p{Cc}\p{Cf}\p{Cs}<>&?#:@,;=+*()[\]{}|^~`$!]/u;
const FORBIDDEN_ANYWHERE = /(?![\t\n])\p{Cc}|[\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

function checkShape(r: ParseResult): void {
  expect(KINDS).toContain(r.kind);
  switch (r.kind) {
    case 'offboard':
      if (r.machine.by === 'id') {
        expect(r.machine.id).toMatch(/^[0-9a-f]{40}$/);
      } else {
        expect(isAllowedName(r.machine.name)).toBe(true);
        expect(r.machine.name).not.toMatch(NEVER_IN_NAME);
      }
      if (r.comment !== undefined) {
        expect(r.comment.trim()).toBe(r.comment);
        expect(r.comment).not.toBe('');
        expect(Array.from(r.comment).length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
        expect(r.comment).not.toMatch(FORBIDDEN_ANYWHERE);
      }
      break;
    case 'offboard_bulk':
      for (const d of r.devices) {
        if (d.by === 'id') expect(d.id).toMatch(/^[0-9a-f]{40}$/);
        else expect(isAllowedName(d.name) && !NEVER_IN_NAME.test(d.name)).toBe(true);
      }
      expect(r.devices.length !== 1 || Object.keys(r.selectors).length > 0).toBe(true);
      if (r.comment !== undefined) expect(r.comment).not.toMatch(FORBIDDEN_ANYWHERE);
      break;
    case 'status':
    case 'cancel':
      expect(r.requestId).toMatch(REQUEST_ID_PATTERN);
      break;
    case 'pending':
      break;
    case 'unknown':
      expect(r.word).not.toBe('');
      if (r.suggestion !== undefined) expect(COMMAND_WORDS).toContain(r.suggestion);
      break;
    case 'invalid':
      expect(typeof r.message).toBe('string');
      expect(r.message.trim()).not.toBe('');
      break;
    case 'help':
      break;
  }
}

const FRAGMENTS = [
  'offboard',
  'OFFBOARD',
  'status',
  'help',
  '?',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '"',
  "'",
  '`',
  '%',
  '%2F',
  '%00',
  '/',
  '..',
  '.',
  '-',
  '_',
  '\\',
  ':',
  '@',
  '#',
  '<',
  '>',
  '&',
  ';',
  MENTION,
  '<at>Alice</at>',
  '<p>',
  '</p>',
  '<div>',
  '<br>',
  '<br/>',
  '<a href="x">',
  '</a>',
  '<!--',
  '-->',
  '&nbsp;',
  '&amp;',
  '&lt;',
  '&gt;',
  '&#39;',
  '&quot;',
  '&#x202E;',
  '&#0;',
  '&#27;',
  '&#xD800;',
  '&bogus;',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\u00a0',
  '\u3000',
  '\u3164',
  '\u0301',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udc00',
  'ws-042',
  'WS-042.contoso.com',
  'büro',
  'שלום',
  'مرحبا',
  '工作站',
  '😀',
  '👩\u200d💻',
  'OFB-7K2MXQ40',
  'ofb-7k2mxqlo',
  '0123456789abcdef0123456789ABCDEF01234567',
  '10.0.0.1',
  '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  'x'.repeat(63),
  'y'.repeat(64),
];

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: utf16Unit, maxLength: 300 }),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join('')),
);
const commandText = fc
  .tuple(
    fc.constantFrom('offboard ', 'status ', `${MENTION} offboard `, '<p>offboard&nbsp;', 'help '),
    anyText,
  )
  .map(([head, tail]) => head + tail);
const mentionTexts = fc.option(fc.constantFrom([MENTION], [], [''], [MENTION, '<at>Bot</at>']), {
  nil: undefined,
});

const nameChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-üßçéжя工'.split(''),
);
const label = fc
  .array(nameChar, { minLength: 1, maxLength: 20 })
  .map((cs) => cs.join(''))
  .filter((l) => !l.startsWith('-') && !l.endsWith('-'));
const validName = fc
  .array(label, { minLength: 1, maxLength: 4 })
  .map((ls) => ls.join('.'))
  .filter((n) => !/^\d+(\.|$)/.test(n) && !/^[0-9a-f]{30,50}$/i.test(n));
const commentWord = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((w) => /^\S+$/u.test(w) && !w.includes('&') && !w.includes('<'));
const comment = fc.array(commentWord, { maxLength: 8 }).map((ws) => ws.join(' '));

describe('parseCommand properties', () => {
  it('is total and every result has a valid shape', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, commandText), mentionTexts, (text, mentions) => {
        checkShape(parseCommand({ text, mentionTexts: mentions }));
      }),
      { numRuns: 10_000 },
    );
  });

  it('handles very long input without throwing or hanging', () => {
    const big = fc
      .tuple(fc.constantFrom(...FRAGMENTS, 'a', '<', '<a', '&#'), fc.integer({ min: 1_000, max: 100_000 }))
      .map(([piece, n]) => 'offboard ' + piece.repeat(Math.ceil(n / piece.length)).slice(0, n));
    fc.assert(
      fc.property(big, (text) => {
        const r = parseCommand({ text, mentionTexts: [MENTION] });
        checkShape(r);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any control or bidi character, wherever it is put', () => {
    const bad = fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009f',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\ud800',
    );
    fc.assert(
      fc.property(validName, fc.nat(), bad, (name, pos, ch) => {
        const text = `offboard ${name} reason`;
        const at = pos % (text.length + 1);
        const r = parseCommand({ text: text.slice(0, at) + ch + text.slice(at) });
        expect(r).toMatchObject({ kind: 'invalid', code: 'control_chars' });
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseCommand round trips', () => {
  it('returns the typed name and comment, with the mention anywhere and any case', () => {
    fc.assert(
      fc.property(
        validName,
        comment,
        fc.constantFrom('offboard', 'OFFBOARD', 'Offboard'),
        fc.nat(3),
        (name, text, word, where) => {
          const parts = [word, name, text].filter((p) => p !== '');
          parts.splice(Math.min(where, parts.length), 0, MENTION);
          const r = parseCommand({ text: parts.join('  '), mentionTexts: [MENTION] });
          expect(r).toEqual(
            text === ''
              ? { kind: 'offboard', machine: { by: 'name', name } }
              : { kind: 'offboard', machine: { by: 'name', name }, comment: text },
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('returns any 40-hex device id lower-cased', () => {
    const hexId = fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF'.split('')),
      minLength: 40,
      maxLength: 40,
    });
    fc.assert(
      fc.property(hexId, (id) => {
        expect(parseCommand({ text: `offboard ${id}` })).toEqual({
          kind: 'offboard',
          machine: { by: 'id', id: id.toLowerCase() },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads back every generated request id, in any case', () => {
    const random = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      minLength: 8,
      maxLength: 8,
    });
    fc.assert(
      fc.property(random, fc.boolean(), (values, lower) => {
        let i = 0;
        const id = newRequestId(() => values[i++] ?? 0);
        expect(id).toMatch(REQUEST_ID_PATTERN);
        const typed = lower ? id.toLowerCase() : id;
        expect(parseCommand({ text: `status ${typed}` })).toEqual({ kind: 'status', requestId: id });
      }),
      { numRuns: 500 },
    );
  });
});
