/**
 * Recognising an English message the core wrote among catalogue entries, to render it in
 * another language (docs/i18n.md, "Errors and refusals"): the entry whose English text
 * matches gives the values the message interpolated. Pure: no I/O.
 */
import { CATALOGUES, type MessageKey } from './catalogues';
import type { Params, Translator } from './translate';

export type Candidates = readonly MessageKey[];

/** Turns a captured value into the reader's words (a state, a nested English phrase). */
export type ValueLocalizer = (t: Translator, name: string, value: string) => string | number;

const patterns = new Map<string, RegExp>();

/** `Request {id} has expired.` → /^Request (?<id>.+?) has expired\.$/ (a repeated name refers back). */
function patternOf(text: string): RegExp {
  let re = patterns.get(text);
  if (re) return re;
  const seen = new Set<string>();
  let source = '^';
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    source += escapeRe(text.slice(last, m.index));
    const name = m[1]!;
    source += seen.has(name) ? `\\k<${name}>` : `(?<${name}>[\\s\\S]*?)`;
    seen.add(name);
    last = m.index! + m[0].length;
  }
  source += `${escapeRe(text.slice(last))}$`;
  patterns.set(text, (re = new RegExp(source, 'u')));
  return re;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The values `message` interpolated into the English text of `key`, if it is that text. */
function valuesIn(key: MessageKey, message: string): Record<string, string> | undefined {
  const m = CATALOGUES.en[key];
  const forms = typeof m === 'string' ? [m] : Object.values(m).filter((f): f is string => !!f);
  for (const form of forms) {
    const found = patternOf(form).exec(message);
    if (found) return { ...found.groups };
  }
  return undefined;
}

/** Digits captured as `count` become a number, so plural forms apply. */
const plainValue: ValueLocalizer = (_t, name, value) =>
  name === 'count' && /^\d+$/.test(value) ? Number(value) : value;

/**
 * The first candidate whose English text is `message`, rendered for `t` with the values it
 * carried (`given` wins over captured ones); undefined when none matches.
 */
export function recognise(
  t: Translator,
  candidates: Candidates,
  message: string,
  options: { given?: Params; localizeValue?: ValueLocalizer } = {},
): string | undefined {
  const localize = options.localizeValue ?? plainValue;
  for (const key of candidates) {
    const values = valuesIn(key, message);
    if (!values) continue;
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries({ ...values, ...options.given }))
      params[name] = typeof value === 'number' ? value : localize(t, name, value);
    return t(key, params);
  }
  return undefined;
}

/** `message` in the reader's language when an entry knows it; as written otherwise (and in English). */
export function recogniseOr(
  t: Translator,
  candidates: Candidates,
  message: string,
  options: { given?: Params; localizeValue?: ValueLocalizer } = {},
): string {
  if (t.locale === 'en') return message;
  return recognise(t, candidates, message, options) ?? message;
}
