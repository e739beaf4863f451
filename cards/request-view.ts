/**
 * The request card's view-model: everything request-card.json binds, computed from the
 * request alone (no I/O, the clock comes in as `now`). Every field is always present
 * (sections the state does not show get '' or []), because a missing field would
 * surface as a literal `${...}` on the card (render.ts throws on that instead).
 *
 * Text kinds: `header.*`, `summary`, facts are Markdown-safe; `*.name`, `*.lines`
 * feed TextRuns (plain text); `comment.value` is an Input.Text value (never rendered
 * as Markdown); `requestId` is raw and only used in Action.Execute data.
 *
 * Every word comes from the catalogue area `card` in the card's language (`locale`);
 * `labels` holds the fixed ones the template binds (`${labels.warning}`).
 */
import type { OffboardRequest, Person, RequestState } from '../bot/request/model';
import { COMMENT_MAX, REJECT_REASON_MAX } from '../bot/request/limits';
import type { MessageKey, Translator } from '../bot/i18n';
import { INPUTS, VERBS } from './verbs';
import {
  around,
  cardTime,
  cardTimeWithRelative,
  markdownText,
  nameText,
  textLines,
  visibleText,
} from './format';
import { cardTranslator, type RenderOptions } from './render';
import { stateBadge, succeeded, type TextColor } from './state-badge';
import { executionLabels, targetViews, type TargetView } from './target-view';
import { machineLabels } from './machine-view';

/** A person's line, split around the name (its own bold TextRun): `Approved by ` Alice ` on …`. */
export interface PersonAt {
  before: string;
  name: string;
  after: string;
  /** Why this approval no longer counts ('' when it does). */
  note?: string;
}

/** Who may approve now: approvals by anyone else are shown as no longer counting. */
export interface ApprovalView {
  approvers: { has(aadObjectId: string): boolean };
  /** APPROVALS_REQUIRED now; the larger of this and the request's own applies. */
  approvalsRequired: number;
  /** The request's own rule now (POLICY_FILE, groups): replaces the two fields above. */
  forRequest?: (r: OffboardRequest) => {
    approvers: { has(aadObjectId: string): boolean };
    approvalsRequired: number;
  };
}

/** Whose view of the card (Universal Actions user-specific views); absent: the shared card. */
export type CardViewer = 'approver' | 'requester' | 'other';

export interface RequestRenderOptions extends RenderOptions {
  policy?: ApprovalView;
  viewer?: CardViewer;
  /**
   * Teams ids of the people who get their own view (`refresh.userIds`, at most 60).
   * Non-empty: the shared card has no buttons that would only be refused.
   */
  userIds?: readonly string[];
  /**
   * Display names of the people who may still approve (issue #13): shown in the
   * requester's own view while the request awaits approval, so they know whom to ask.
   */
  approverNames?: readonly string[];
}

/** Names listed on the card at most; the rest are counted ("and 3 more"). */
export const MAX_APPROVER_NAMES = 10;

function labels(t: Translator) {
  return {
    facts: machineLabels(t),
    execution: executionLabels(t),
    warning: t('card.warning'),
    commentLabel: t('card.commentLabel'),
    commentPlaceholder: t('card.commentPlaceholder'),
    commentError: t('card.commentError', { count: COMMENT_MAX }),
    commentLocked: t('card.commentLocked'),
    selfApproval: t('card.selfApproval'),
    reason: t('card.reason'),
    rejectLabel: t('card.rejectLabel'),
    rejectError: t('card.rejectError', { count: REJECT_REASON_MAX }),
    rule: around(t('card.rule')).before,
    button: {
      submit: t('card.button.submit'),
      approve: t('card.button.approve'),
      rejectOpen: t('card.button.rejectOpen'),
      reject: t('card.button.reject'),
      cancel: t('card.button.cancel'),
      refresh: t('card.button.refresh'),
    },
  };
}

export interface RequestCardView {
  labels: ReturnType<typeof labels>;
  requestId: string;
  verbs: typeof VERBS;
  inputs: typeof INPUTS;
  limits: { commentMax: number; rejectReasonMax: number };
  header: { title: string; badge: string; badgeColor: TextColor; requestLine: string };
  summary: string;
  show: {
    warning: boolean;
    commentInput: boolean;
    commentText: boolean;
    approvals: boolean;
    awaiting: boolean;
    approverNames: boolean;
    expiry: boolean;
    rejected: boolean;
    cancelled: boolean;
    execution: boolean;
    submit: boolean;
    approve: boolean;
    reject: boolean;
    cancel: boolean;
    refresh: boolean;
    rule: boolean;
    defenderCancelled: boolean;
  };
  targets: TargetView[];
  requester: PersonAt;
  /** The applied rule's summary, plain text: "Servers: 3 approvals from Server Owners". */
  rule: string;
  comment: { value: string; lines: string[] };
  approvals: {
    count: number;
    required: number;
    heading: string;
    list: PersonAt[];
    remaining: string;
    /** Who may still approve, Markdown-safe ('' when not shown). */
    approverNames: string;
  };
  expires: string;
  rejection: PersonAt & { reasonLines: string[] };
  cancellation: PersonAt;
  defenderCancellation: PersonAt;
}

/** `key` is a sentence with `{name}` and `{when}`; nothing is said when there is no such event. */
function personAt(
  t: Translator,
  key: MessageKey,
  person: Person | undefined,
  at: string | undefined,
): PersonAt {
  if (!person) return { before: '', name: '', after: '' };
  return { ...around(t(key, { when: cardTime(at, t) })), name: nameText(person.name) };
}

/** One sentence on what this state means and what happens next. Our text only. */
function summary(request: OffboardRequest, t: Translator): string {
  switch (request.state) {
    case 'draft':
      return t('card.summary.draft', { count: request.approvalsRequired });
    case 'awaiting_approval':
      return t('card.summary.awaiting');
    case 'executing':
      return request.targets.some((x) => x.execution.queuedUntil && !x.execution.actionId)
        ? t('card.summary.queued')
        : t('card.summary.executing');
    case 'tracking':
      return t('card.summary.tracking');
    case 'completed':
      if (request.defenderCancellation && !succeeded(request)) return t('card.summary.defenderCancelled');
      return succeeded(request) ? t('card.summary.succeeded') : t('card.summary.notSucceeded');
    case 'failed':
      return t('card.summary.failed');
    case 'outcome_unknown':
      return t('card.summary.outcomeUnknown', {
        devices: markdownText(request.targets.map((x) => x.computerDnsName).join(', ')),
      });
    case 'rejected':
      return t('card.summary.rejected');
    case 'cancelled':
      return t('card.summary.cancelled');
    case 'expired':
      return t('card.summary.expired', { when: cardTime(request.expiresAt, t) });
  }
}

function title(request: OffboardRequest, t: Translator): string {
  const [first] = request.targets;
  if (request.targets.length === 1 && first)
    return t('card.title', { device: markdownText(first.machine.computerDnsName) });
  return t('card.titleMany', { count: request.targets.length });
}

/**
 * Approvals as the policy counts them now (bot/request/policy.ts countingApprovals):
 * only by current approvers, against the larger required number.
 */
function approvalCounts(request: OffboardRequest, view: ApprovalView | undefined) {
  const policy = view?.forRequest ? view.forRequest(request) : view;
  const stale = new Set(
    policy ? request.approvals.map((a) => a.by.aadObjectId).filter((id) => !policy.approvers.has(id)) : [],
  );
  return {
    count: request.approvals.length - stale.size,
    required: Math.max(request.approvalsRequired, policy?.approvalsRequired ?? 0),
    stale,
  };
}

/** `Alice, Bob.` / `Alice, … and 3 more.`: names are Markdown-escaped (a TextBlock). */
function approverNames(names: readonly string[], t: Translator): string {
  const shown = names
    .map((n) => visibleText(n).trim())
    .filter(Boolean)
    .slice(0, MAX_APPROVER_NAMES);
  if (!shown.length) return '';
  const hidden = names.length - shown.length;
  const list = shown.map(markdownText).join(', ');
  return t('card.canApprove', {
    names: hidden > 0 ? t('card.andMore', { names: list, count: hidden }) : list,
  });
}

const EXECUTION_STATES: readonly RequestState[] = [
  'executing',
  'tracking',
  'completed',
  'failed',
  'outcome_unknown',
];

export function requestCardView(request: OffboardRequest, opts: RequestRenderOptions): RequestCardView {
  const { state } = request;
  const t = cardTranslator(opts);
  const draft = state === 'draft';
  const awaiting = state === 'awaiting_approval';
  const counts = approvalCounts(request, opts.policy);
  const remaining = Math.max(0, counts.required - counts.count);
  // The shared card keeps every button only when no one gets a view of their own.
  const shared = !opts.viewer && !opts.userIds?.length;
  const may = (who: CardViewer) => shared || opts.viewer === who;
  const names =
    awaiting && opts.viewer === 'requester' && remaining > 0
      ? approverNames(opts.approverNames ?? [], t)
      : '';
  return {
    labels: labels(t),
    requestId: request.id,
    verbs: VERBS,
    inputs: INPUTS,
    limits: { commentMax: COMMENT_MAX, rejectReasonMax: REJECT_REASON_MAX },
    header: {
      title: title(request, t),
      ...stateBadge(request, { locale: t.locale, counts, card: true }),
      requestLine: t('card.requestId', { id: markdownText(request.id) }),
    },
    summary: summary(request, t),
    show: {
      warning: draft || awaiting,
      commentInput: draft,
      commentText: !draft && Boolean(request.comment?.trim()),
      approvals: awaiting || request.approvals.length > 0,
      awaiting,
      approverNames: names !== '',
      expiry: draft || awaiting,
      rejected: state === 'rejected',
      cancelled: state === 'cancelled',
      execution: EXECUTION_STATES.includes(state),
      submit: draft && may('requester'),
      approve: awaiting && may('approver'),
      reject: awaiting && may('approver'),
      cancel: (draft || awaiting) && may('requester'),
      refresh: state === 'executing' || state === 'tracking',
      rule: Boolean(request.rule?.summary),
      defenderCancelled: Boolean(request.defenderCancellation),
    },
    targets: targetViews(request.targets, state, opts.now, t),
    requester: personAt(t, 'card.requestedBy', request.requester, request.createdAt),
    rule: nameText(request.rule?.summary ?? ''),
    comment: { value: request.comment ?? '', lines: textLines(request.comment) },
    approvals: {
      count: counts.count,
      required: counts.required,
      heading: t('card.approvals', { count: counts.count, required: counts.required }),
      list: request.approvals.map((a) => ({
        ...personAt(t, 'card.approvedBy', a.by, a.at),
        note: counts.stale.has(a.by.aadObjectId) ? t('card.notApprover') : '',
      })),
      remaining: t('card.remaining', { count: remaining }),
      approverNames: names,
    },
    expires: t('card.expires', { when: cardTimeWithRelative(request.expiresAt, opts.now, t) }),
    rejection: {
      ...personAt(t, 'card.rejectedBy', request.rejection?.by, request.rejection?.at),
      reasonLines: textLines(request.rejection?.reason),
    },
    cancellation: personAt(t, 'card.cancelledBy', request.cancellation?.by, request.cancellation?.at),
    defenderCancellation: personAt(
      t,
      'card.defenderCancelledBy',
      request.defenderCancellation?.by,
      request.defenderCancellation?.at,
    ),
  };
}
