/**
 * One catalogue entry: a text with `{name}` placeholders, or plural forms chosen by
 * `Intl.PluralRules` from the `count` parameter (Russian uses one/few/many, English
 * one/other).
 */
export interface PluralMessage {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralMessage;

/** A catalogue area: keys to messages. */
export type MessageArea = Readonly<Record<string, Message>>;

/** The same keys as the English area, each a message: a missing Russian key fails to compile. */
export type Translation<T extends MessageArea> = { readonly [K in keyof T]: Message };

/** Every placeholder name a message uses, in all its forms. */
export function placeholders(m: Message): string[] {
  const texts = typeof m === 'string' ? [m] : Object.values(m).filter((v): v is string => !!v);
  const names = new Set<string>();
  for (const t of texts) for (const match of t.matchAll(/\{(\w+)\}/g)) names.add(match[1]!);
  return [...names].sort();
}
