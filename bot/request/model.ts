/**
 * The offboarding request: one durable record, keyed by id, changed only through
 * compare-and-set on `version` (bot/store). Pure data: no methods, JSON-serialisable.
 *
 * A request holds a list of targets: one for `offboard <device>`, many for the bulk
 * forms (bot/commands/bulk.ts), whose selection is summarised in `bulk`.
 */
import type { ActionStatus, Machine } from '../defender/types';
import type { Locale, MessageKey, SaidParams } from '../i18n';

/**
 * An error recorded on a target. `message` is English (logs, older readers); rows written
 * since errors are said by catalogue key also carry `key` and `params`, and views render
 * those in the reader's language (docs/i18n.md, "Errors and refusals"). Older rows have
 * `message` only and show it as written.
 */
export interface StoredError {
  code: string;
  message: string;
  target?: string;
  key?: MessageKey;
  params?: SaidParams;
}

export interface Person {
  /** Entra object id (`from.aadObjectId`), lower-cased: the identity every rule uses. */
  aadObjectId: string;
  name: string;
  /** Teams user id (`from.id`), for @mentions. */
  teamsId?: string;
  upn?: string;
  /** Their Teams language when they last wrote or clicked (messages addressed to them use it). */
  locale?: Locale;
}

export type RequestState =
  /** Card posted; the requester writes the comment. */
  | 'draft'
  /** Comment locked; approvals being collected. */
  | 'awaiting_approval'
  /** Enough approvals; the Defender call is being made (state stored before the call). */
  | 'executing'
  /** Defender accepted; the MachineAction is being followed. */
  | 'tracking'
  /** Every target reached a final Defender status (which may itself be Failed). */
  | 'completed'
  /** Defender refused or the call could not be made; nothing was done. */
  | 'failed'
  /**
   * We could not learn whether Defender accepted the offboard (it may or may not be
   * offboarded): never reported as a failure or a success. Check the Defender portal.
   */
  | 'outcome_unknown'
  | 'rejected'
  | 'cancelled'
  | 'expired';

export const ACTIVE_STATES: readonly RequestState[] = ['draft', 'awaiting_approval', 'executing', 'tracking'];
export const FINISHED_STATES: readonly RequestState[] = [
  'completed',
  'failed',
  'outcome_unknown',
  'rejected',
  'cancelled',
  'expired',
];

export interface TargetExecution {
  /** Set when the Defender call for this target starts (stored before the POST). */
  startedAt?: string;
  /** When the rate limiter queued the call: the estimated start, ISO time. */
  queuedUntil?: string;
  actionId?: string;
  actionStatus?: ActionStatus;
  /** Last time the action was read from Defender, ISO. */
  checkedAt?: string;
  /** Next scheduled status check, ISO; survives restarts. */
  nextCheckAt?: string;
  /** How many status checks so far (drives back-off). */
  checks?: number;
  /**
   * A final failure: nothing was done on the device; or, with `unknownOutcome`, we
   * could not learn whether Defender accepted the offboard.
   */
  error?: StoredError & { unknownOutcome?: boolean };
  /** An attempt ended with an unknown outcome (a later look-up may still find the action). */
  uncertain?: boolean;
  /** Transient failures so far (Defender unreachable): the call is retried at `retryAt`. */
  attempts?: number;
  retryAt?: string;
  lastError?: StoredError;
}

export interface Target {
  machineId: string;
  computerDnsName: string;
  /** What the requester saw on the card: approvals are bound to this snapshot. */
  machine: Machine;
  execution: TargetExecution;
}

export type HistoryEvent =
  | 'created'
  | 'comment_set'
  | 'submitted'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'executing'
  | 'queued'
  | 'action_created'
  | 'action_found'
  | 'status_changed'
  | 'completed'
  | 'failed'
  | 'outcome_unknown'
  | 'refused'
  /** A Defender call failed in a way that may be temporary; it will be retried. */
  | 'call_failed'
  /** After execution, someone cancelled the still-Pending Defender action (`cancel`). */
  | 'defender_cancel_sent';

export interface HistoryEntry {
  at: string;
  event: HistoryEvent;
  /** Entra object id of the person, or 'system'. */
  actor: string;
  actorName?: string;
  /** The conversation the action came from (audit: where was it clicked). */
  conversationId?: string;
  detail?: Record<string, string | number | boolean | undefined>;
}

export interface Approval {
  by: Person;
  at: string;
}

/** Where the request's card lives, enough to post into its thread later. */
export interface ConversationLink {
  conversationId: string;
  /** Serialized botbuilder ConversationReference (opaque outside bot/teams). */
  reference: Record<string, unknown>;
  /** Activity id of the approval card, set once posted. */
  cardActivityId?: string;
  /** The message the request was typed in: replies go into its thread. */
  threadRootId?: string;
}

/** Why a device of a bulk command is not among the targets. */
export type BulkRefusal =
  | 'unsupported_os'
  | 'pending_already'
  | 'not_found'
  | 'ambiguous'
  | 'open_request'
  /** Listed, but the selectors (e.g. `inactive:30d`) do not match it. */
  | 'not_selected'
  /** Its rule does not allow offboarding from chat. */
  | 'not_allowed';

export const BULK_REFUSALS: readonly BulkRefusal[] = [
  'unsupported_os',
  'pending_already',
  'not_found',
  'ambiguous',
  'open_request',
  'not_selected',
  'not_allowed',
];

/** How many refused devices a request keeps by name; the counts cover them all. */
export const BULK_REFUSED_KEPT = 50;

/** What the bulk card shows about the selection besides the targets. Small at any size. */
export interface BulkSelection {
  /** Canonical selectors (`tag:retired group:"Lab machines"`); '' for a list alone. */
  selectors: string;
  /** Devices named in the command (0 for selectors alone). */
  listed: number;
  refusedCounts: Partial<Record<BulkRefusal, number>>;
  /** The first BULK_REFUSED_KEPT refused devices. */
  refused: { name: string; reason: BulkRefusal }[];
}

export interface OffboardRequest {
  id: string;
  /** Compare-and-set counter; the store bumps it on every successful write. */
  version: number;
  tenantId: string;
  state: RequestState;
  requester: Person;
  comment?: string;
  approvalsRequired: number;
  /** The rule that applied when the request opened (POLICY_FILE or "Default"); absent on older requests. */
  rule?: { name: string; summary: string; approvalsRequired: number };
  approvals: Approval[];
  rejection?: { by: Person; at: string; reason: string };
  cancellation?: { by: Person; at: string };
  /** The Defender action was cancelled from chat while still Pending (device offline). */
  defenderCancellation?: { by: Person; at: string; actionId: string };
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  conversation: ConversationLink;
  targets: Target[];
  /** Bulk commands only: how the targets were selected and which devices were left out. */
  bulk?: BulkSelection;
  history: HistoryEntry[];
  /** What has reached Teams, so undelivered updates are retried after a failure or restart. */
  delivery?: {
    /**
     * The stored `version` the card shows. Delivery records its own write's version
     * when nothing else changed in between, so `cardShownVersion === version` means
     * "the card is up to date" (an updatedAt would miss two changes in one millisecond).
     */
    cardShownVersion?: number;
    /** When the final-status reply was posted into the thread. */
    finalNoticeAt?: string;
    /** When the one reminder to approve was posted into the thread (REMINDER_AFTER_MINUTES). */
    reminderAt?: string;
  };
}

export function isFinished(r: OffboardRequest): boolean {
  return FINISHED_STATES.includes(r.state);
}
