import {
  CROCKFORD_ALPHABET,
  editDistance,
  hostNameProblem,
  isDeviceId,
  isHostName,
  newRequestId,
  parseRequestId,
  REQUEST_ID_PATTERN,
  suggestCommand,
} from '../../bot/commands';
import { quoteForChat } from '../../bot/commands/chars';

describe('request ids', () => {
  it('builds OFB- plus 8 Crockford characters from the injected source', () => {
    expect(newRequestId(() => 0)).toBe('OFB-00000000');
    expect(newRequestId(() => 0.999999)).toBe('OFB-ZZZZZZZZ');
    let i = 0;
    const id = newRequestId(() => (i++ % 32) / 32);
    expect(id).toBe('OFB-01234567');
    expect(REQUEST_ID_PATTERN.test(id)).toBe(true);
  });

  it('refuses a random source outside [0, 1)', () => {
    for (const r of [1, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => newRequestId(() => r)).toThrow(RangeError);
    }
  });

  it('has a 32-character alphabet without I, L, O, U', () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('pattern is anchored, upper case and has no state', () => {
    expect(REQUEST_ID_PATTERN.test('OFB-7K2MXQ40')).toBe(true);
    expect(REQUEST_ID_PATTERN.test('OFB-7K2MXQ40')).toBe(true);
    for (const bad of [
      'ofb-7k2mxq40',
      'OFB-7K2MXQ4',
      'OFB-7K2MXQ400',
      'xOFB-7K2MXQ40',
      'OFB-7K2MXQ4U',
      'OFB-7K2MXQ4I',
    ]) {
      expect(REQUEST_ID_PATTERN.test(bad)).toBe(false);
    }
  });

  it('parses leniently into the canonical form', () => {
    expect(parseRequestId(' ofb-7k2mxq40 ')).toBe('OFB-7K2MXQ40');
    expect(parseRequestId('OFB7K2MXQ40')).toBe('OFB-7K2MXQ40');
    expect(parseRequestId('OFB-OILoilOI')).toBe('OFB-01101101');
    expect(parseRequestId('OFB-7K2MXQ4U')).toBeUndefined();
    expect(parseRequestId('ABC-7K2MXQ40')).toBeUndefined();
    expect(parseRequestId('')).toBeUndefined();
  });
});

describe('edit distance and suggestions', () => {
  it.each([
    ['', '', 0],
    ['help', '', 4],
    ['help', 'help', 0],
    ['hlep', 'help', 1],
    ['ofboard', 'offboard', 1],
    ['offbaord', 'offboard', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('distance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('suggests only within distance 2, preferring the closest', () => {
    expect(suggestCommand('OFFBORD')).toBe('offboard');
    expect(suggestCommand('stat')).toBe('status');
    expect(suggestCommand('he')).toBe('help');
    expect(suggestCommand('h')).toBeUndefined();
    expect(suggestCommand('reboot')).toBeUndefined();
    expect(suggestCommand('x'.repeat(10_000))).toBeUndefined();
  });
});

describe('host-name grammar', () => {
  it.each(['ws-042', 'WS_042', 'a', 'a.b.c', 'büro-pc.contoso.de', '工作站1', 'x1', '_srv'])(
    'accepts %j',
    (n) => expect(isHostName(n)).toBe(true),
  );

  it.each([
    ['', 'empty'],
    ['a b', "can't be in a name"],
    ['a..b', 'empty part'],
    ['-a', 'hyphen'],
    ['a-', 'hyphen'],
    ['a'.repeat(64), 'longer than 63'],
    [`${'a'.repeat(50)}.`.repeat(5) + 'abcd', 'longer than 253'],
    ['\u0301a', 'accent mark'],
    ['123.contoso.com', 'only digits'],
    ['a\u3164b', "can't be in a name"],
  ])('refuses %j (%s)', (name, why) => {
    expect(isHostName(name)).toBe(false);
    expect(hostNameProblem(name)).toContain(why);
  });

  it('recognises device ids of exactly 40 hex characters', () => {
    expect(isDeviceId('a'.repeat(40))).toBe(true);
    expect(isDeviceId('A'.repeat(40))).toBe(true);
    expect(isDeviceId('a'.repeat(39))).toBe(false);
    expect(isDeviceId('g'.repeat(40))).toBe(false);
  });
});

describe('quoteForChat', () => {
  it('wraps in a code span, neutralises markup and cuts long text', () => {
    expect(quoteForChat('ws-042')).toBe('`ws-042`');
    expect(quoteForChat('a`b<c>&d\te')).toBe('`a\uFFFDb\uFFFDc\uFFFD\uFFFDd\uFFFDe`');
    expect(quoteForChat('x'.repeat(100))).toBe('`' + 'x'.repeat(40) + '…`');
  });
});
