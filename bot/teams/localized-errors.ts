/**
 * Refusals, typed errors and the parser's complaints in the reader's language
 * (docs/i18n.md, "Errors and refusals"). The core writes one English message with a code;
 * here the code names the catalogue entries that message can be, the entry whose English
 * text matches the message gives the values it interpolated, and the reader's language
 * renders them. A message that matches no entry (Defender's own text, a changed wording)
 * is shown in English as written.
 */
import type { AppError } from '../app-error';
import type { MessageKey, Params, Translator } from '../i18n';
import { recognise, recogniseOr, type Candidates, type ValueLocalizer } from '../i18n/recognise';
import type { RefusalCode } from '../request/policy';
import { BULK_USAGE, type InvalidCode } from '../commands';
import {
  CANCEL_USAGE,
  OFFBOARD_USAGE,
  STATUS_USAGE,
  bulkUsage,
  cancelUsage,
  offboardUsage,
  statusUsage,
} from '../commands/help';

/** bot/request/policy.ts: one code, several wordings. */
const REFUSALS: Readonly<Record<RefusalCode, Candidates>> = {
  wrong_tenant: ['errors.wrongTenant', 'errors.otherTenant'],
  not_requester: ['errors.notRequester', 'errors.onlyRequesterSubmits', 'errors.onlyRequesterCancels'],
  not_approver: ['errors.notApprover', 'errors.requesterRejects'],
  self_approval: ['errors.selfApproval'],
  already_approved: ['errors.alreadyApproved'],
  finished: ['errors.finished', 'errors.inProgress'],
  wrong_state: ['errors.commentLocked', 'errors.notSubmitted', 'errors.rejectState'],
  invalid_comment: ['errors.invalidComment'],
  invalid_reason: ['errors.invalidReason'],
  requester_revoked: ['errors.requesterRevoked'],
};

/** Use-case refusals (bot/offboarding/act.ts) and AppError codes. */
const OTHER_CODES: Readonly<Record<string, Candidates>> = {
  rule_forbids: ['errors.ruleForbids'],
  expired: ['errors.expired'],
  unknown_request: ['chat.unknownCard'],
  busy: ['errors.busy'],
  store_unavailable: ['errors.storeUnavailable'],
  device_busy: ['errors.deviceBusy', 'errors.deviceBusyId'],
  GraphUnavailable: ['errors.graphUnavailable'],
  GraphInvalidResponse: ['errors.graphInvalidResponse'],
};

/** Refusals that carry no code (bot/offboarding/open.ts, cancel.ts, pending.ts). */
const UNCODED: Candidates = [
  'errors.wrongTenant',
  'errors.notRequester',
  'errors.ruleForbids',
  'errors.ruleNotRequester',
  'errors.ruleUnchecked',
  'errors.cancelSending',
  'errors.cancelNothing',
  'errors.cancelNotAllowed',
  'errors.cancelNoAction',
  'errors.cancelPickedUp',
  // cancel.ts passes the policy's own refusals on without their code.
  ...Object.values(REFUSALS).flat(),
  ...Object.values(OTHER_CODES).flat(),
];

/** bot/commands/parse.ts, machine.ts, bulk.ts, selectors.ts; a wording not listed is shown as the parser wrote it. */
const PARSE: Readonly<Record<InvalidCode, Candidates>> = {
  too_long: ['errors.parse.tooLong'],
  control_chars: ['errors.parse.controlChars'],
  missing_machine: ['errors.parse.missingMachine'],
  machine_too_long: ['errors.parse.machineTooLong'],
  invisible_chars: ['errors.parse.invisibleChars'],
  bad_machine: ['errors.parse.entraId', 'errors.parse.nearDeviceId', 'errors.parse.badMachine'],
  comment_too_long: ['errors.parse.commentTooLong', 'errors.parse.bulkCommentTooLong'],
  missing_request_id: ['errors.parse.missingRequestId'],
  bad_request_id: ['errors.parse.badRequestId'],
  empty_item: ['errors.parse.emptyItem'],
  duplicate_device: ['errors.parse.duplicateDevice'],
  too_many_devices: ['errors.parse.tooManyDevices'],
  inactive_alone: ['errors.parse.inactiveAlone'],
  days_out_of_range: ['errors.parse.daysRange'],
  bad_selector: [
    'errors.parse.selectorOnce',
    'errors.parse.quoteNotClosed',
    'errors.parse.spaceAfterQuote',
    'errors.parse.selectorEmpty',
    'errors.parse.notDays',
    'errors.parse.selectorTooLong',
  ],
};

/** bot/offboarding/platform.ts: why the API cannot offboard a device. */
const PLATFORM: Candidates = [
  'errors.platform.oldBuild',
  'errors.platform.oldVersion',
  'errors.platform.noUnifiedAgent',
  'errors.platform.unsupported',
];

const WHY: Candidates = ['errors.whyEmpty', 'errors.whyLength', 'errors.whyControl'];

/** Finished states as `Request … is already {state}` writes them (with `_` or a space). */
const STATE_WORDS: Readonly<Record<string, MessageKey>> = {
  completed: 'errors.state.completed',
  failed: 'errors.state.failed',
  outcome_unknown: 'errors.state.outcomeUnknown',
  rejected: 'errors.state.rejected',
  cancelled: 'errors.state.cancelled',
  expired: 'errors.state.expired',
};

/** Captured values that are themselves English words get the reader's words too. */
const localizeValue: ValueLocalizer = (t, name, value) => {
  if (name === 'count' && /^\d+$/.test(value)) return Number(value);
  if (name === 'state') {
    const key = STATE_WORDS[value.replace(/ /g, '_')];
    return key ? t(key) : value;
  }
  if (name === 'why') return recognise(t, WHY, value, { localizeValue }) ?? value;
  if (name === 'usage') return usageIn(t, value);
  return value;
};

function usageIn(t: Translator, english: string): string {
  if (english === OFFBOARD_USAGE) return offboardUsage(t);
  if (english === STATUS_USAGE) return statusUsage(t);
  if (english === CANCEL_USAGE) return cancelUsage(t);
  if (english === BULK_USAGE) return bulkUsage(t);
  return english;
}

function localized(t: Translator, candidates: Candidates, message: string, given?: Params): string {
  // The English catalogue holds exactly these messages: nothing to do.
  return recogniseOr(t, candidates, message, { given, localizeValue });
}

const candidatesFor = (code: string | undefined): Candidates =>
  code === undefined
    ? UNCODED
    : ((REFUSALS as Readonly<Record<string, Candidates>>)[code] ?? OTHER_CODES[code] ?? []);

/** A refusal from the policy or a use case: `{ code?, message, params? }`. */
export function refusalText(
  t: Translator,
  r: { code?: string; message: string; params?: Params } | string,
): string {
  const x = typeof r === 'string' ? { message: r } : r;
  return localized(t, candidatesFor(x.code), x.message, x.params);
}

/** A typed error's chat message. */
export function appErrorText(t: Translator, e: AppError): string {
  return localized(t, candidatesFor(e.code), e.chatMessage, e.params);
}

/** Why the API cannot offboard a device (an `unsupported` outcome's reason). */
export function platformReasonText(t: Translator, reason: string): string {
  return localized(t, PLATFORM, reason);
}

/** The parser's `invalid` result. */
export function invalidCommandText(t: Translator, cmd: { code: InvalidCode; message: string }): string {
  return localized(t, PARSE[cmd.code] ?? [], cmd.message);
}
