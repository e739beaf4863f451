import { format, localeOf } from '../../bot/i18n';

const devices = {
  one: '{count} устройство',
  few: '{count} устройства',
  many: '{count} устройств',
  other: '{count} устройства',
};

test.each([
  [1, '1 устройство'],
  [2, '2 устройства'],
  [5, '5 устройств'],
  [21, '21 устройство'],
  [1500, '1 500 устройств'],
])('Russian plural of %d', (count, text) => {
  // Intl puts a no-break space between thousands in Russian.
  expect(format(devices, 'ru', { count }).replace(/\u00a0/g, ' ')).toBe(text);
});

test('English plural and number format', () => {
  const m = { one: '{count} device', other: '{count} devices' };
  expect(format(m, 'en', { count: 1 })).toBe('1 device');
  expect(format(m, 'en', { count: 1500 })).toBe('1,500 devices');
});

test('placeholders are filled; unknown ones stay visible', () => {
  expect(format('Request {id} by {name}', 'en', { id: 'OFB-1' })).toBe('Request OFB-1 by {name}');
});

test('a plural message without a count is a programming error', () => {
  expect(() => format({ one: 'x', other: 'y' }, 'en')).toThrow(/count/);
});

test.each([
  ['ru', 'en', 'ru'],
  ['ru-RU', 'en', 'ru'],
  ['RU-ru', 'en', 'ru'],
  ['en-US', 'ru', 'en'],
  ['de-DE', 'ru', 'en'],
  [undefined, 'ru', 'ru'],
  ['', 'en', 'en'],
  ['rus', 'en', 'en'],
] as const)('locale %s (default %s) → %s', (tag, fallback, want) => {
  expect(localeOf(tag, fallback)).toBe(want);
});
