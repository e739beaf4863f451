/**
 * The bulk forms of `offboard` (issue #14): a list of devices separated by commas or
 * line breaks, and selectors that ask Defender for the devices. Pure and total, like
 * parse.ts. Grammar:
 *
 *   offboard [selector …] [list] [comment]
 *   selector := tag:<tag> | group:<name> | inactive:<N>d      (values may be quoted)
 *   list     := device (',' device)+                           (line breaks also separate,
 *               or, with `offboard` alone on its line, one device per line)
 *
 * The comment is what follows the last device (or the last selector). One device and
 * no selector is the single form, answered by parse.ts exactly as before.
 */
import { charCount, quoteForChat } from './chars';
import { BULK_MAX_DEVICES } from './bulk-limits';
import { USAGE } from './usage';
import { withEnglish, type MessageKey, type SaidParams } from '../i18n';
import { MAX_COMMENT_CHARS } from './limits';
import { parseMachineToken } from './machine';
import { hasSelectors, readSelector, startsSelector, type Selectors } from './selectors';
import type { InvalidCode, MachineRef, ParseResult } from './types';

const WS = /\s/u;
const HSPACE = /[^\S\n]/u;

export type BulkScan =
  /** Not a bulk form: parse.ts reads it as the single form. */
  { kind: 'single' } | { kind: 'bulk'; result: ParseResult };

/**
 * Reads the text after `offboard` (line breaks kept). Returns `single` when it holds
 * no selector and no list, so the single form keeps its exact behaviour.
 */
export function scanBulk(args: string, maxDevices = BULK_MAX_DEVICES): BulkScan {
  const selectors: Selectors = {};
  let i = skip(args, 0, WS);
  const startsOnNewLine = args.slice(0, i).includes('\n');
  let any = false;
  while (i < args.length && startsSelector(args, i)) {
    const s = readSelector(args, i);
    if (!s.ok) return bulk(invalid(s.outOfRange ? 'days_out_of_range' : 'bad_selector', s.key, s.params));
    const key = s.kind === 'inactive' ? 'inactiveDays' : s.kind;
    if (selectors[key] !== undefined)
      return bulk(invalid('bad_selector', 'errors.parse.selectorOnce', { kind: s.kind, usage: USAGE.bulk }));
    if (s.kind === 'inactive') selectors.inactiveDays = s.value as number;
    else selectors[s.kind] = s.value as string;
    any = true;
    i = skip(args, s.end, WS);
  }
  const list = readList(args, i, !any && startsOnNewLine);
  if (list.kind === 'error') return bulk(invalid(list.code, list.key, list.params));
  if (!any && list.items.length < 2) return { kind: 'single' };
  const devices: MachineRef[] = [];
  const seen = new Map<string, string>();
  for (const item of list.items) {
    const m = parseMachineToken(item);
    if (!m.ok) return bulk(invalid(m.code, m.key, { ...m.params, usage: USAGE.bulk }));
    const key = refKey(m.machine);
    if (seen.has(key))
      return bulk(
        invalid('duplicate_device', 'errors.parse.duplicateDevice', {
          item: quoteForChat(item),
          other: quoteForChat(seen.get(key)!),
        }),
      );
    seen.set(key, item);
    devices.push(m.machine);
  }
  if (devices.length > maxDevices)
    return bulk(
      invalid('too_many_devices', 'errors.parse.tooManyDevices', {
        count: String(devices.length),
        max: String(maxDevices),
      }),
    );
  if (
    selectors.inactiveDays !== undefined &&
    selectors.tag === undefined &&
    selectors.group === undefined &&
    !devices.length
  )
    return bulk(invalid('inactive_alone', 'errors.parse.inactiveAlone', { usage: USAGE.bulk }));
  const comment = normalizeComment(args.slice(list.end));
  if (charCount(comment) > MAX_COMMENT_CHARS)
    return bulk(
      invalid('comment_too_long', 'errors.parse.bulkCommentTooLong', {
        count: String(charCount(comment)),
        max: String(MAX_COMMENT_CHARS),
      }),
    );
  if (!hasSelectors(selectors) && devices.length === 1) return { kind: 'single' };
  const result: ParseResult = { kind: 'offboard_bulk', devices, selectors };
  return bulk(comment === '' ? result : { ...result, comment });
}

type ListRead =
  | { kind: 'list'; items: string[]; end: number }
  | { kind: 'error'; code: InvalidCode; key: MessageKey; params: SaidParams };

/**
 * The device list from `start`: items separated by commas (or line breaks in the
 * one-per-line form). A first item not followed by a separator is no list (items: [it]
 * or []), and `end` is where the comment starts.
 */
function readList(text: string, start: number, byLine: boolean): ListRead {
  const items: string[] = [];
  let i = start;
  for (;;) {
    const [token, after] = readToken(text, i);
    if (token === '') {
      // `ws-1,, ws-2` or a trailing comma: an item is missing.
      if (items.length > 0 || text[i] === ',')
        return {
          kind: 'error',
          code: 'empty_item',
          key: 'errors.parse.emptyItem',
          params: { usage: USAGE.bulk },
        };
      return { kind: 'list', items, end: i };
    }
    // The first comma must touch the first device (`ws-1, ws-2`): `ws-1 , …` stays a comment.
    const j = items.length === 0 && !byLine ? after : skip(text, after, HSPACE);
    if (text[j] === ',') {
      items.push(token);
      i = skip(text, j + 1, WS);
      continue;
    }
    if (byLine && (text[j] === '\n' || j >= text.length)) {
      items.push(token);
      i = skip(text, j, WS);
      if (i >= text.length) return { kind: 'list', items, end: i };
      continue;
    }
    // The last item: a list needs a separator after the first one.
    if (items.length === 0 && !byLine) return { kind: 'list', items: [], end: start };
    items.push(token);
    return { kind: 'list', items, end: after };
  }
}

/** A device token: everything up to white space or a comma. */
function readToken(text: string, start: number): [string, number] {
  let j = start;
  while (j < text.length && text[j] !== ',' && !WS.test(text[j]!)) j++;
  return [text.slice(start, j), j];
}

function skip(text: string, start: number, re: RegExp): number {
  let i = start;
  while (i < text.length && re.test(text[i]!)) i++;
  return i;
}

/** Host names are case-insensitive, ids are hex: one key per device as typed. */
export function refKey(ref: MachineRef): string {
  return ref.by === 'id' ? `id:${ref.id.toLowerCase()}` : `name:${ref.name.toLowerCase()}`;
}

/** Runs of spaces collapse, lines are trimmed, blank lines dropped; line breaks stay (as parse.ts). */
export function normalizeComment(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/gu, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function bulk(result: ParseResult): BulkScan {
  return { kind: 'bulk', result };
}

function invalid(code: InvalidCode, key: MessageKey, params: SaidParams): ParseResult {
  return { kind: 'invalid', code, ...withEnglish({ key, params }) };
}
