import fc from 'fast-check';

/**
 * Generators of hostile text for everything that can reach a Defender URL: the pieces
 * that break quoting (', ''), encoding (%, %27, %2F), paths (/, .., \), query strings
 * (?, #, &, =, +), display (RTL and zero-width marks), C0/C1 controls, lone surrogates,
 * and very long strings (up to 100 kB).
 */
export const FRAGMENTS: readonly string[] = [
  "'",
  "''",
  "')",
  "' or 1 eq 1 or '",
  "') or startswith(computerDnsName,'",
  '"',
  '`',
  '%',
  '%27',
  '%2F',
  '%2f',
  '%00',
  '%%',
  '%u0027',
  '/',
  '//',
  '..',
  '../',
  '..%2F',
  '.',
  '\\',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  ',',
  '(',
  ')',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u2028',
  '\ufeff',
  '\u00a0',
  '\u0301',
  '\ud800',
  '\udfff',
  'ü',
  'ß',
  'İ',
  'ｗｓ',
  '𝔀𝓼',
  '😀',
  'ws-042',
  'ws-042.contoso.local',
  'fin-laptop-07',
  '$filter=',
  '$top=1',
  'api/machines',
  'offboard',
  'a'.repeat(40),
];

const fragment = fc.constantFrom(...FRAGMENTS);

/** Mostly short mixes of fragments and random code points; now and then a 1–100 kB string. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fragment, { minLength: 1, maxLength: 8 }).map((a) => a.join('')) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 10 })
      .map((a) => a.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fragment, fc.integer({ min: 1_000, max: 100_000 }))
      .map(([f, n]) => f.repeat(Math.ceil(n / f.length)).slice(0, n)),
  },
);

/** Strings that look almost like machine ids: right length, one wrong character, etc. */
export const nearMachineId: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{40}$/),
  fc.tuple(fc.stringMatching(/^[0-9a-f]{39}$/), fragment).map(([h, f]) => h + f),
  fc.tuple(fragment, fc.stringMatching(/^[0-9a-f]{40}$/)).map(([f, h]) => f + h),
  fc.stringMatching(/^[0-9a-fA-F]{38,42}$/),
  hostileText,
);

/** Has a lone (unpaired) UTF-16 surrogate: not representable in UTF-8 or in a URL. */
export function hasLoneSurrogate(s: string): boolean {
  return /(?:[\ud800-\udbff](?![\udc00-\udfff]))|(?:(?<![\ud800-\udbff])[\udc00-\udfff])/.test(s);
}
