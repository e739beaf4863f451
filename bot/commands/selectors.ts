/**
 * Bulk selectors (`tag:`, `group:`, `inactive:<N>d`): their shape, how they are read
 * from the command, and how they are written back (confirm buttons carry the canonical
 * text, which is parsed again when clicked). Pure.
 */
import { charCount, quoteForChat } from './chars';
import { INACTIVE_MAX_DAYS, INACTIVE_MIN_DAYS, MAX_SELECTOR_CHARS } from './bulk-limits';
import { USAGE } from './usage';
import type { MessageKey, SaidParams } from '../i18n';

export interface Selectors {
  /** Exact Defender device tag (machineTags), case as typed. */
  tag?: string;
  /** Defender device group name (rbacGroupName), compared case-insensitively. */
  group?: string;
  /** Last seen more than this many days ago. */
  inactiveDays?: number;
}

export const SELECTOR_KINDS = ['tag', 'group', 'inactive'] as const;
export type SelectorKind = (typeof SELECTOR_KINDS)[number];

/** Quote pairs a value may be wrapped in; Teams and Office turn straight quotes curly. */
const QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ['\u201C', '\u201D'],
  ["'", "'"],
  ['\u2018', '\u2019'],
];

const SELECTOR_HEAD = /^(tag|group|inactive):/iu;
const WS = /\s/u;

export type SelectorRead =
  | { ok: true; kind: SelectorKind; value: string | number; end: number }
  | { ok: false; key: MessageKey; params: SaidParams; outOfRange?: boolean };

/** Does the text at `pos` start a selector (`tag:`, `group:`, `inactive:`, any case)? */
export function startsSelector(text: string, pos: number): boolean {
  return SELECTOR_HEAD.test(text.slice(pos, pos + 10));
}

/** Reads one selector starting at `pos` (which startsSelector accepted). */
export function readSelector(text: string, pos: number): SelectorRead {
  const head = SELECTOR_HEAD.exec(text.slice(pos, pos + 10))!;
  const kind = head[1]!.toLowerCase() as SelectorKind;
  let i = pos + head[0].length;
  let value: string;
  const pair = QUOTES.find(([open]) => text.startsWith(open, i));
  if (pair) {
    const close = text.indexOf(pair[1], i + 1);
    if (close < 0) return bad('errors.parse.quoteNotClosed', { kind });
    value = text.slice(i + 1, close);
    i = close + 1;
    if (i < text.length && !WS.test(text[i]!)) return bad('errors.parse.spaceAfterQuote', { kind });
  } else {
    let j = i;
    while (j < text.length && !WS.test(text[j]!)) j++;
    value = text.slice(i, j);
    i = j;
  }
  value = value.replace(/\s+/gu, ' ').trim();
  if (value === '') return bad('errors.parse.selectorEmpty', { kind, example: example(kind) });
  if (kind === 'inactive') {
    const m = /^(\d{1,6})d$/iu.exec(value);
    if (!m) return bad('errors.parse.notDays', { value: quoteForChat(value) });
    const days = Number(m[1]);
    if (days < INACTIVE_MIN_DAYS || days > INACTIVE_MAX_DAYS)
      return {
        ...bad('errors.parse.daysRange', {
          min: String(INACTIVE_MIN_DAYS),
          max: String(INACTIVE_MAX_DAYS),
          days: String(days),
        }),
        outOfRange: true,
      };
    return { ok: true, kind, value: days, end: i };
  }
  if (charCount(value) > MAX_SELECTOR_CHARS)
    return bad('errors.parse.selectorTooLong', { kind, max: String(MAX_SELECTOR_CHARS) });
  return { ok: true, kind, value, end: i };
}

function bad(key: MessageKey, params: SaidParams): Extract<SelectorRead, { ok: false }> {
  return { ok: false, key, params: { ...params, usage: USAGE.bulk } };
}

function example(kind: SelectorKind): string {
  return kind === 'tag' ? 'tag:retired' : kind === 'group' ? 'group:"Lab machines"' : 'inactive:30d';
}

/** A value as typed: bare when it can be, else in the first quote pair it does not contain. */
function quoteValue(value: string): string {
  const bare = !WS.test(value) && !QUOTES.some(([open]) => value.startsWith(open));
  if (bare) return value;
  const pair = QUOTES.find(([, close]) => !value.includes(close)) ?? QUOTES[0]!;
  return `${pair[0]}${value}${pair[1]}`;
}

/** `tag:retired group:"Lab machines" inactive:30d`: the canonical text, parsed back to the same. */
export function formatSelectors(s: Selectors): string {
  const parts: string[] = [];
  if (s.tag !== undefined) parts.push(`tag:${quoteValue(s.tag)}`);
  if (s.group !== undefined) parts.push(`group:${quoteValue(s.group)}`);
  if (s.inactiveDays !== undefined) parts.push(`inactive:${s.inactiveDays}d`);
  return parts.join(' ');
}

export function hasSelectors(s: Selectors): boolean {
  return s.tag !== undefined || s.group !== undefined || s.inactiveDays !== undefined;
}
