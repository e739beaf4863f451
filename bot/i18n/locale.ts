/**
 * The languages the bot speaks and how one is chosen (docs/i18n.md): a Teams
 * activity's `locale` starting with `ru` means Russian, anything else English;
 * no locale at all means BOT_DEFAULT_LOCALE.
 */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(s: unknown): s is Locale {
  return typeof s === 'string' && (LOCALES as readonly string[]).includes(s);
}

/** `ru`, `ru-RU`, `RU-ru` → ru; any other tag → en; missing or blank → the fallback. */
export function localeOf(tag: string | undefined | null, fallback: Locale): Locale {
  const t = (tag ?? '').trim().toLowerCase();
  if (!t) return fallback;
  return t === 'ru' || t.startsWith('ru-') || t.startsWith('ru_') ? 'ru' : 'en';
}
