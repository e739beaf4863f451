/**
 * Characters refused anywhere in a command: C0/C1 controls except tab and newline,
 * bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069), which can
 * make text display differently from what it is ("Trojan Source", CVE-2021-42574),
 * and lone UTF-16 surrogates (`\p{Cs}` in a `u` regex matches only unpaired ones).
 */
import { MAX_ECHO_CHARS } from './limits';

const FORBIDDEN = /(?![\t\n])\p{Cc}|[\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** Invisible format characters (zero-width space/joiner, BOM, word joiner, …). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** The first forbidden character, if any. */
export function findForbiddenChar(text: string): string | undefined {
  return FORBIDDEN.exec(text)?.[0];
}

export function findInvisibleChar(text: string): string | undefined {
  return INVISIBLE.exec(text)?.[0];
}

export function removeInvisibleChars(text: string): string {
  return text.replace(INVISIBLE_ALL, '');
}

/** `U+202E`: names a character without printing it. */
export function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Counts code points, not UTF-16 units: an emoji is one character to the user. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('') + '…';
}

/**
 * User text quoted back in a reply, as a markdown code span. Backticks would end the
 * span and `<`, `>`, `&` could be read as markup by Teams; they, whitespace other than
 * a space and anything invisible become U+FFFD.
 */
export function quoteForChat(text: string): string {
  const safe = Array.from(text.slice(0, MAX_ECHO_CHARS * 2 + 2))
    .map((ch) => (/^[`<>&]$|^[^\S ]$|^[\p{C}\p{Default_Ignorable_Code_Point}]$/u.test(ch) ? '\uFFFD' : ch))
    .join('');
  return '`' + truncateChars(safe, MAX_ECHO_CHARS) + '`';
}
