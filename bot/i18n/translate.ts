/**
 * Looks a key up in the caller's language and fills its placeholders. Numbers are
 * formatted for the locale (`1 500` in Russian, `1,500` in English); strings are
 * inserted as given (escaping for Markdown is the caller's job: it knows the medium).
 */
import { CATALOGUES, type MessageKey } from './catalogues';
import type { Locale } from './locale';
import type { Message } from './message';

export type Params = Readonly<Record<string, string | number>>;

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function rules(locale: Locale): Intl.PluralRules {
  let r = pluralRules.get(locale);
  if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(locale)));
  return r;
}

export function formatNumber(locale: Locale, n: number): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
}

function pick(m: Message, locale: Locale, params: Params): string {
  if (typeof m === 'string') return m;
  // A count given as a digit string keeps its digits as written and still picks the form.
  const count =
    typeof params.count === 'string' && /^\d+$/.test(params.count) ? Number(params.count) : params.count;
  if (typeof count !== 'number') throw new Error('a plural message needs a numeric count');
  const form = rules(locale).select(count) as keyof typeof m;
  return m[form] ?? m.other;
}

/** Fills one message (plural form chosen, placeholders replaced); unknown placeholders stay visible. */
export function format(message: Message, locale: Locale, params: Params = {}): string {
  return pick(message, locale, params).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(locale, v) : v;
  });
}

export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  return format(CATALOGUES[locale][key], locale, params);
}

/** A translator bound to one language, as handed to views and replies. */
export type Translator = ((key: MessageKey, params?: Params) => string) & { readonly locale: Locale };

export function translator(locale: Locale): Translator {
  return Object.assign((key: MessageKey, params?: Params) => translate(locale, key, params), { locale });
}
