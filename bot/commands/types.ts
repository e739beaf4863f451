/**
 * What the typed-command parser returns. A closed union: handlers switch on `kind`
 * and the compiler checks they cover every case.
 */
export type CommandWord = 'offboard' | 'status' | 'pending' | 'cancel' | 'help';

export const COMMAND_WORDS: readonly CommandWord[] = ['offboard', 'status', 'pending', 'cancel', 'help'];

import type { Selectors } from './selectors';
import type { Said } from '../i18n';

/** How the requester named the device; resolving it against Defender is not the parser's job. */
export type MachineRef = { by: 'id'; id: string } | { by: 'name'; name: string };

export type InvalidCode =
  /** The message is longer than MAX_TEXT_CHARS (or its raw HTML is absurdly large). */
  | 'too_long'
  /** C0/C1 control characters, bidi overrides/isolates, or broken UTF-16 anywhere. */
  | 'control_chars'
  | 'missing_machine'
  | 'machine_too_long'
  /** Zero-width or other invisible format characters inside the device token. */
  | 'invisible_chars'
  /** The device token is neither a Defender device id nor a possible host name. */
  | 'bad_machine'
  | 'comment_too_long'
  | 'missing_request_id'
  | 'bad_request_id'
  /** Bulk forms (bot/commands/bulk.ts): a device named twice in the list. */
  | 'duplicate_device'
  /** Two separators in a row, or a separator at the end of the list. */
  | 'empty_item'
  /** A `tag:`/`group:`/`inactive:` selector without a value, unclosed quote, or used twice. */
  | 'bad_selector'
  /** `inactive:` with neither another selector nor a list: it would select the whole tenant. */
  | 'inactive_alone'
  /** `inactive:<N>d` with N outside INACTIVE_MIN_DAYS..INACTIVE_MAX_DAYS. */
  | 'days_out_of_range'
  /** More devices listed than BULK_MAX_DEVICES. */
  | 'too_many_devices';

export type ParseResult =
  | { kind: 'offboard'; machine: MachineRef; comment?: string }
  /**
   * Many devices under one approval: the listed ones (order kept, no duplicates) and/or
   * those Defender finds for the selectors. The listed ones are narrowed by the selectors.
   */
  | { kind: 'offboard_bulk'; devices: MachineRef[]; selectors: Selectors; comment?: string }
  /** `failed`: list the devices that were not offboarded (`status OFB-… failed`). */
  | { kind: 'status'; requestId: string; failed?: true }
  /** What waits for the caller's approval, and the caller's own open requests. */
  | { kind: 'pending' }
  /** Cancel a request (before execution), or its Defender action while still Pending. */
  | { kind: 'cancel'; requestId: string }
  | { kind: 'help' }
  /** `word` is what was typed (cleaned, at most MAX_ECHO_CHARS): escape it before echoing. */
  | { kind: 'unknown'; word: string; suggestion?: CommandWord }
  /**
   * What is wrong and the right usage, by catalogue key (the chat renders it in the
   * reader's language); `message` is the English text, chat-ready markdown.
   */
  | ({ kind: 'invalid'; code: InvalidCode; message: string } & Said);

export interface CommandInput {
  /** `activity.text` as Teams sent it (may contain HTML and `<at>` mention markup). */
  text: string;
  /** `text` of the bot's own mention entities, e.g. `<at>Offboarder</at>`: removed exactly. */
  mentionTexts?: readonly string[];
  /** BULK_MAX_DEVICES as configured; default 500 (bot/commands/bulk-limits.ts). */
  bulkMaxDevices?: number;
}
