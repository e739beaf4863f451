/**
 * The catalogues stay complete and in use: every key exists in both languages with the
 * same placeholders, every key is used somewhere in the code, and plural messages have
 * the forms their language needs (docs/i18n.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATALOGUES } from '../../bot/i18n/catalogues';
import { LOCALES } from '../../bot/i18n';
import { placeholders, type Message } from '../../bot/i18n/message';

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['bot', 'cards', 'sandbox', 'scripts'];

function sources(): string[] {
  const out: string[] = [join(ROOT, 'index.ts')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(name)) out.push(path);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  // The catalogues themselves do not count as a use.
  return out.filter((p) => !relative(ROOT, p).startsWith(join('bot', 'i18n')));
}

const keys = Object.keys(CATALOGUES.en);

test('both languages have exactly the same keys', () => {
  for (const locale of LOCALES) expect(Object.keys(CATALOGUES[locale]).sort()).toEqual([...keys].sort());
});

test('every key has the same placeholders in every language', () => {
  for (const key of keys) {
    const en = placeholders(CATALOGUES.en[key as keyof typeof CATALOGUES.en]);
    for (const locale of LOCALES)
      expect([key, locale, placeholders(CATALOGUES[locale][key as keyof typeof CATALOGUES.en])]).toEqual([
        key,
        locale,
        en,
      ]);
  }
});

test('every key is used in the code (quoted as a whole string)', () => {
  const text = sources()
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
  const unused = keys.filter((k) => !text.includes(`'${k}'`) && !text.includes(`"${k}"`));
  expect(unused).toEqual([]);
});

test('plural messages have the forms of their language and a numeric count', () => {
  for (const locale of LOCALES) {
    const needed = new Intl.PluralRules(locale)
      .resolvedOptions()
      .pluralCategories.filter((c) => ['one', 'few', 'many', 'other'].includes(c));
    for (const [key, m] of Object.entries(CATALOGUES[locale])) {
      if (typeof m === 'string') continue;
      for (const form of needed)
        expect([key, form, typeof (m as unknown as Record<string, unknown>)[form]]).toEqual([
          key,
          form,
          'string',
        ]);
      expect([key, placeholders(m as Message).includes('count')]).toEqual([key, true]);
    }
  }
});
