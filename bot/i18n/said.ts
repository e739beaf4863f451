/**
 * A text the core says by catalogue key, with the values it fills in (docs/i18n.md,
 * "Errors and refusals"). The core never writes the words itself: the edge renders the
 * key in the reader's language, and `english` gives the English text for logs, the
 * audit trail and stored rows. A value may itself be a said text (a state word, a
 * usage line, why a comment is refused), rendered in the same language. Pure: no I/O.
 */
import type { MessageKey } from './catalogues';
import { translate, type Params, type Translator } from './translate';

export type SaidValue = string | number | Said;
export type SaidParams = Readonly<Record<string, SaidValue>>;

export interface Said {
  readonly key: MessageKey;
  readonly params?: SaidParams;
}

export function said(key: MessageKey, params?: SaidParams): Said {
  return params ? { key, params } : { key };
}

function resolve(render: (s: Said) => string, params: SaidParams | undefined): Params {
  const out: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(params ?? {}))
    out[name] = typeof v === 'object' && v !== null ? render(v) : v;
  return out;
}

/** Values for `t`, each said text among them rendered in `t`'s language. */
export function paramsIn(t: Translator, params: SaidParams): Params {
  const render = (x: Said): string => t(x.key, resolve(render, x.params));
  return resolve(render, params);
}

/** The text in the translator's language, values that are texts too. */
export function sayIn(t: Translator, s: Said): string {
  const render = (x: Said): string => t(x.key, resolve(render, x.params));
  return render(s);
}

/** The English text: what logs and older callers read as `message`. */
export function english(s: Said): string {
  const render = (x: Said): string => translate('en', x.key, resolve(render, x.params));
  return render(s);
}

/** A said text with its English rendering beside it, as refusals and parser results carry it. */
export function withEnglish<T extends Said>(s: T): T & { readonly message: string } {
  return { ...s, message: english(s) };
}

/**
 * What a refusal or an error carries: the English `message` and, when the text is a
 * catalogue entry, its key and values. Without a key (a text from outside the catalogue,
 * such as Defender's own words) it is shown as written.
 */
export interface Told {
  readonly message: string;
  readonly key?: MessageKey;
  readonly params?: SaidParams;
}

/** A told text in the translator's language when it has a key; as written otherwise. */
export function tell(t: Translator, x: Told): string {
  return x.key ? sayIn(t, x.params ? { key: x.key, params: x.params } : { key: x.key }) : x.message;
}

/** Just the key, values and English of a told text (no other fields of the object it came in). */
export function toldOf(x: Told): Told {
  return { message: x.message, ...(x.key ? { key: x.key } : {}), ...(x.params ? { params: x.params } : {}) };
}
