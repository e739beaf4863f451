/**
 * Text and time formatting shared by every card, so all cards show times the same way
 * and treat outside text (comments, names, reasons, Defender fields) the same way.
 *
 * Two kinds of text slot exist on our cards, and each needs its own treatment:
 * - TextBlock `text` and FactSet values are Markdown: Teams renders bold, italics,
 *   lists and links there (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 *   Outside text placed there goes through `markdownText`.
 * - RichTextBlock TextRun `text` is plain: "Markdown is not supported" (adaptivecards.io
 *   schema explorer, TextRun). Free text a person typed goes there, through `runText`,
 *   so it needs no backslashes, which some Teams mobile clients have shown literally
 *   (MicrosoftDocs/msteams-docs#5793).
 * Both kinds get the {{DATE()}}/{{TIME()}} text functions defused in outside text:
 *   renderers expand them in TextBlock and TextRun alike (adaptivecards
 *   src/text-formatters.ts). The bot's own times use them on purpose (`cardTime`).
 * Template expressions (`${...}`) in data are never evaluated by adaptivecards-templating:
 *   it expands the template, not the values bound into it (tested in test/unit/cards*).
 */

import type { Translator } from '../bot/i18n';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Shown where a value is missing: the API omits or nulls many Machine fields. */
export const MISSING = '—';

/**
 * A zero-width space between the two braces: `{{DATE(...)}}` stops matching the
 * renderer's regular expression while looking the same.
 */
function defuseTextFunctions(text: string): string {
  return text.replace(/\{\{/g, '{\u200b{');
}

/**
 * Control characters (other than tab and newline) have no business on a card and cost
 * six bytes each once JSON-escaped (`\u0001`), so they are dropped.
 */
function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/**
 * Bidi controls and zero-width characters are invisible, yet they can reorder or hide
 * what a device, tag, group or person's name shows ("Trojan Source", CVE-2021-42574).
 * Names come from Defender (a local admin can set tags) and from Teams, so they are
 * removed before the text reaches a card.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** A name (person, device) in a TextRun: plain text, invisible characters removed. */
export function nameText(text: string): string {
  return runText(visibleText(text));
}

/** For TextRun text (plain, no Markdown): keeps the text exactly as typed but for {{. */
export function runText(text: string): string {
  return defuseTextFunctions(stripControl(text));
}

/**
 * For TextBlock text and Fact values: backslash-escapes what Markdown (CommonMark, the
 * dialect the Adaptive Cards renderers use) would turn into formatting, a link, an
 * HTML tag (`<at>` mentions included) or an entity. Characters that only matter at
 * the start of a line and before a space (list and heading markers `-`, `+`, `1.`, `#`)
 * are escaped only there, so ordinary names like `ws-042.contoso.com` stay unchanged.
 */
export function markdownText(text: string): string {
  const inline = visibleText(stripControl(text)).replace(/[\\`*_~[\]<>&|]/g, '\\$&');
  const lineStarts = inline
    .replace(/^(\s*)([-+#])(?=\s|$)/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, '$1\\$2');
  return defuseTextFunctions(lineStarts);
}

/** Markdown-safe value for a Fact, with a dash for a missing one. */
export function factValue(value: string | number | undefined): string {
  if (value === undefined || value === '') return MISSING;
  return markdownText(String(value));
}

/**
 * Most lines a typed text is shown in. Each line is its own RichTextBlock (a TextRun
 * cannot hold a line break), so a 1,000-character comment of one-character lines would
 * otherwise cost ~70 bytes per character against the card size budget.
 */
export const MAX_TEXT_LINES = 12;

/** Splits typed text into non-empty lines for TextRuns; lines past the cap join the last one. */
export function textLines(text: string | undefined): string[] {
  const lines = (text ?? '')
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const kept = lines.slice(0, MAX_TEXT_LINES - 1);
  const rest = lines.slice(MAX_TEXT_LINES - 1).join(' ');
  return (rest ? [...kept, rest] : kept).map(runText);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validMs(iso: string | undefined): number | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `2026-11-29 14:05 UTC`, for plain text outside a card (chat replies): no locale or
 * zone involved, so every reader sees the same instant, labelled.
 */
export function formatTime(iso: string | undefined): string {
  const ms = validMs(iso);
  if (ms === undefined) return MISSING;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/**
 * A time on a card, as Adaptive Card text functions: Teams writes the date and time in
 * the viewer's time zone (docs/i18n.md, "Times on cards"). The functions need strict
 * RFC 3339 without fractions (`2026-11-29T14:05:00Z`) and all capitals, else the raw
 * text shows (learn.microsoft.com/adaptive-cards/authoring-cards/text-features). They
 * work in TextBlock, TextRun and Fact values; never pass the result through
 * `markdownText`, which defuses them. Cards set no `lang`, so the date is also in the
 * viewer's Teams language (and adaptivecards 3.0.6 checks `lang` with a /g regular
 * expression, rejecting it on every other parse).
 */
export function cardTime(iso: string | undefined, t: Translator): string {
  const ms = validMs(iso);
  if (ms === undefined) return MISSING;
  const rfc3339 = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return t('card.dateTime', { date: `{{DATE(${rfc3339}, SHORT)}}`, time: `{{TIME(${rfc3339})}}` });
}

function duration(ms: number, t: Translator): string {
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  if (ms < HOUR_MS) return t('card.minutes', { minutes });
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  if (ms < DAY_MS) {
    const h = Math.floor(ms / HOUR_MS);
    return minutes ? t('card.hoursMinutes', { hours: h, minutes }) : t('card.hours', { hours: h });
  }
  const days = Math.floor(ms / DAY_MS);
  return hours ? t('card.daysHours', { days, hours }) : t('card.days', { days });
}

/** `in 2 h 5 min` / `3 d ago`, from the injected clock: the card never reads the time itself. */
export function formatRelative(iso: string | undefined, now: number, t: Translator): string {
  const ms = validMs(iso);
  if (ms === undefined) return '';
  const diff = ms - now;
  if (Math.abs(diff) < MINUTE_MS) return diff >= 0 ? t('card.inUnderMinute') : t('card.underMinuteAgo');
  return diff >= 0
    ? t('card.in', { duration: duration(diff, t) })
    : t('card.ago', { duration: duration(-diff, t) });
}

/** A card time with `(in 2 h)`: absolute for the record (viewer's zone), relative for the reader. */
export function cardTimeWithRelative(iso: string | undefined, now: number, t: Translator): string {
  const when = cardTime(iso, t);
  const relative = formatRelative(iso, now, t);
  return relative ? t('card.withRelative', { when, relative }) : when;
}

/**
 * A translated sentence split around its one unfilled slot (translate leaves unknown
 * placeholders in place), so the slot can be its own TextRun, bold and plain text:
 * `Requested by {name} on {when}` → `Requested by ` / ` on …`.
 */
export function around(text: string, slot = 'name'): { before: string; after: string } {
  const mark = `{${slot}}`;
  const at = text.indexOf(mark);
  if (at < 0) return { before: text, after: '' };
  return { before: text.slice(0, at), after: text.slice(at + mark.length) };
}
