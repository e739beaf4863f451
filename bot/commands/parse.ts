/**
 * Whitespace that separates tokens: JavaScript's `\s` (NBSP, U+3000, …) minus U+FEFF,
 * which is invisible: inside a device name it must be refused, not split the name.
 */
import {
  charCount,
  codePointLabel,
  findForbiddenChar,
  quoteForChat,
  removeInvisibleChars,
  truncateChars,
} from './chars';
import { scanBulk } from './bulk';
import { MAX_BULK_TEXT_CHARS } from './bulk-limits';
import { USAGE } from './usage';
import { withEnglish, type MessageKey, type Said, type SaidParams } from '../i18n';
import { MAX_COMMENT_CHARS, MAX_ECHO_CHARS, MAX_RAW_CHARS, MAX_TEXT_CHARS } from './limits';
import { parseMachineToken } from './machine';
import { parseRequestId } from './request-id';
import { suggestCommand } from './suggest';
import { toPlainText } from './teams-text';
import type { CommandInput, InvalidCode, ParseResult } from './types';

const SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const HEAD_REST = new RegExp(`^[${SPACE}]*([^${SPACE}]+)[${SPACE}]*([\\s\\S]*)$`, 'u');

/**
 * Parses one typed command. Pure and total: every input, however hostile, gives a
 * ParseResult and never an exception; anything it cannot accept is `invalid` with a
 * chat-ready message.
 */
export function parseCommand(input: CommandInput): ParseResult {
  // Defensive for callers outside the type system (e.g. a malformed activity).
  const raw = typeof input?.text === 'string' ? input.text : '';
  if (raw.length > MAX_RAW_CHARS) return tooLong();
  const text = toPlainText(raw, input?.mentionTexts).trim();
  // A list of many devices may be longer than any other command (bot/commands/bulk.ts).
  if (charCount(text) > MAX_TEXT_CHARS && (charCount(text) > MAX_BULK_TEXT_CHARS || !isBulkList(text, input)))
    return tooLong();
  const forbidden = findForbiddenChar(text);
  if (forbidden) {
    return invalid('control_chars', 'errors.parse.controlChars', { char: codePointLabel(forbidden) });
  }
  const [head, rest] = split(text);
  // A zero-width space before the command (copy-paste) must not make it unknown.
  const word = removeInvisibleChars(head).toLowerCase();
  if (word === '' || word === 'help' || word === '?') return { kind: 'help' };
  if (word === 'offboard') {
    // The text after the word with its line breaks: a list may put one device per line.
    const bulk = scanBulk(text.slice(head.length), input?.bulkMaxDevices);
    return bulk.kind === 'bulk' ? bulk.result : parseOffboard(rest);
  }
  if (word === 'status')
    return parseRequestIdArg(rest, USAGE.status, (requestId, more) =>
      isFailedWord(more) ? { kind: 'status', requestId, failed: true } : { kind: 'status', requestId },
    );
  if (word === 'pending') return { kind: 'pending' };
  if (word === 'cancel')
    return parseRequestIdArg(rest, USAGE.cancel, (requestId) => ({ kind: 'cancel', requestId }));
  const suggestion = suggestCommand(word);
  const echoed = truncateChars(removeInvisibleChars(head), MAX_ECHO_CHARS);
  return suggestion ? { kind: 'unknown', word: echoed, suggestion } : { kind: 'unknown', word: echoed };
}

function isBulkList(text: string, input: CommandInput): boolean {
  const [head] = split(text);
  if (removeInvisibleChars(head).toLowerCase() !== 'offboard') return false;
  const bulk = scanBulk(text.slice(head.length), input?.bulkMaxDevices);
  return bulk.kind === 'bulk';
}

function parseOffboard(args: string): ParseResult {
  const [token, rest] = split(args);
  if (token === '') {
    return invalid('missing_machine', 'errors.parse.missingMachine', { usage: USAGE.offboard });
  }
  const machine = parseMachineToken(token);
  if (!machine.ok) return invalid(machine.code, machine.key, machine.params);
  const comment = normalizeComment(rest);
  if (charCount(comment) > MAX_COMMENT_CHARS) {
    return invalid('comment_too_long', 'errors.parse.commentTooLong', {
      count: String(charCount(comment)),
      max: String(MAX_COMMENT_CHARS),
      usage: USAGE.offboard,
    });
  }
  return comment === ''
    ? { kind: 'offboard', machine: machine.machine }
    : { kind: 'offboard', machine: machine.machine, comment };
}

/** `status` and `cancel`: the first token is the request id; `make` sees the rest (status reads `failed`). */
function parseRequestIdArg(
  args: string,
  usage: Said,
  make: (requestId: string, rest: string) => ParseResult,
): ParseResult {
  const [token, rest] = split(args);
  if (token === '') return invalid('missing_request_id', 'errors.parse.missingRequestId', { usage });
  const requestId = parseRequestId(token.replace(/^["'`\u201C\u2018]|["'`\u201D\u2019]$/gu, ''));
  if (!requestId) {
    return invalid('bad_request_id', 'errors.parse.badRequestId', { token: quoteForChat(token), usage });
  }
  return make(requestId, rest);
}

/** Runs of spaces collapse, lines are trimmed, blank lines dropped; line breaks stay. */
function normalizeComment(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/gu, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function split(text: string): [string, string] {
  const match = HEAD_REST.exec(text);
  return [match?.[1] ?? '', match?.[2] ?? ''];
}

function tooLong(): ParseResult {
  return invalid('too_long', 'errors.parse.tooLong', { max: String(MAX_TEXT_CHARS), usage: USAGE.offboard });
}

/** `status OFB-… failed`: the word alone after the id, any case (anything else after the id is ignored, as before). */
function isFailedWord(rest: string): boolean {
  const [word, more] = split(rest);
  return removeInvisibleChars(word).toLowerCase() === 'failed' && more === '';
}

function invalid(code: InvalidCode, key: MessageKey, params: SaidParams): ParseResult {
  return { kind: 'invalid', code, ...withEnglish({ key, params }) };
}
