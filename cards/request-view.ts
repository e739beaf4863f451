/**
 * The request card's view-model: everything request-card.json binds, computed from the
 * request alone (no I/O, the clock comes in as `now`). Every field is always present
 * (sections the state does not show get '' or []), because a missing field would
 * surface as a literal `${...}` on the card (render.ts throws on that instead).
 *
 * Text kinds: `header.*`, `summary`, facts are Markdown-safe; `*.name`, `*.lines`
 * feed TextRuns (plain text); `comment.value` is an Input.Text value (never rendered
 * as Markdown); `requestId` is raw and only used in Action.Execute data.
 */
import type { OffboardRequest, Person, RequestState } from '../bot/request/model';
import { COMMENT_MAX, REJECT_REASON_MAX } from '../bot/request/limits';
import { INPUTS, VERBS } from './verbs';
import { formatTime, formatTimeWithRelative, markdownText, nameText, plural, textLines } from './format';
import type { RenderOptions } from './render';
import { stateBadge, succeeded, type TextColor } from './state-badge';
import { targetViews, type TargetView } from './target-view';

export interface PersonAt {
  name: string;
  at: string;
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
}

export interface RequestCardView {
  requestId: string;
  verbs: typeof VERBS;
  inputs: typeof INPUTS;
  limits: { commentMax: number; rejectReasonMax: number };
  header: { title: string; badge: string; badgeColor: TextColor; requestId: string };
  summary: string;
  show: {
    warning: boolean;
    commentInput: boolean;
    commentText: boolean;
    approvals: boolean;
    awaiting: boolean;
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
  approvals: { count: number; required: number; list: PersonAt[]; remaining: string };
  expiresAt: string;
  rejection: PersonAt & { reasonLines: string[] };
  cancellation: PersonAt;
  defenderCancellation: PersonAt;
}

function personAt(person: Person | undefined, at: string | undefined, timeZone?: string): PersonAt {
  return { name: person ? nameText(person.name) : '', at: at ? formatTime(at, timeZone) : '' };
}

/** One sentence on what this state means and what happens next. Our text only. */
function summary(request: OffboardRequest, opts: RenderOptions): string {
  switch (request.state) {
    case 'draft': {
      const n = request.approvalsRequired;
      return `Add a comment, then request approval. Nothing is sent to Defender until ${plural(n, 'person', 'people')} other than the requester ${n === 1 ? 'approves' : 'approve'}.`;
    }
    case 'awaiting_approval':
      return 'Nothing is sent to Defender until the request is approved.';
    case 'executing':
      return request.targets.some((t) => t.execution.queuedUntil && !t.execution.actionId)
        ? "Approved. Defender's API rate limit is reached, so the call waits in the queue."
        : 'Approved. The offboarding is being sent to Defender.';
    case 'tracking':
      return 'Defender accepted the offboarding and is carrying it out. This card updates when it finishes.';
    case 'completed':
      if (request.defenderCancellation && !succeeded(request))
        return 'Cancelled at Defender before the device picked up the offboarding: the device stays onboarded.';
      return succeeded(request)
        ? 'Offboarded. The device no longer reports to Defender; it must be onboarded again to come back.'
        : 'Defender reports that the offboarding did not succeed. The device may still be onboarded: check it in the Defender portal and quote the support reference when asking for help.';
    case 'failed':
      return 'Defender did not accept the offboarding: nothing was changed on the device.';
    case 'outcome_unknown':
      return `Outcome unknown: Defender's answer could not be confirmed, so the device may or may not be offboarded. Check the Defender portal (device ${markdownText(request.targets.map((t) => t.computerDnsName).join(', '))}, Action center) before asking again.`;
    case 'rejected':
      return 'Rejected: nothing was sent to Defender.';
    case 'cancelled':
      return 'Cancelled: nothing was sent to Defender.';
    case 'expired':
      return `Expired on ${formatTime(request.expiresAt, opts.timeZone)} without enough approvals: nothing was sent to Defender. Start a new request if the device still needs offboarding.`;
  }
}

function title(request: OffboardRequest): string {
  const [first] = request.targets;
  if (request.targets.length === 1 && first)
    return `Offboard device ${markdownText(first.machine.computerDnsName)}`;
  return `Offboard ${plural(request.targets.length, 'device', 'devices')}`;
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

const EXECUTION_STATES: readonly RequestState[] = [
  'executing',
  'tracking',
  'completed',
  'failed',
  'outcome_unknown',
];

export function requestCardView(request: OffboardRequest, opts: RequestRenderOptions): RequestCardView {
  const { state } = request;
  const { timeZone } = opts;
  const draft = state === 'draft';
  const awaiting = state === 'awaiting_approval';
  const counts = approvalCounts(request, opts.policy);
  const remaining = Math.max(0, counts.required - counts.count);
  // The shared card keeps every button only when no one gets a view of their own.
  const shared = !opts.viewer && !opts.userIds?.length;
  const may = (who: CardViewer) => shared || opts.viewer === who;
  return {
    requestId: request.id,
    verbs: VERBS,
    inputs: INPUTS,
    limits: { commentMax: COMMENT_MAX, rejectReasonMax: REJECT_REASON_MAX },
    header: {
      title: title(request),
      ...stateBadge(request, timeZone, counts),
      requestId: markdownText(request.id),
    },
    summary: summary(request, opts),
    show: {
      warning: draft || awaiting,
      commentInput: draft,
      commentText: !draft && Boolean(request.comment?.trim()),
      approvals: awaiting || request.approvals.length > 0,
      awaiting,
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
    targets: targetViews(request.targets, state, opts.now, timeZone),
    requester: personAt(request.requester, request.createdAt, timeZone),
    rule: nameText(request.rule?.summary ?? ''),
    comment: { value: request.comment ?? '', lines: textLines(request.comment) },
    approvals: {
      ...counts,
      list: request.approvals.map((a) => ({
        ...personAt(a.by, a.at, timeZone),
        note: counts.stale.has(a.by.aadObjectId) ? ': no longer an approver' : '',
      })),
      remaining: `${plural(remaining, 'more approval', 'more approvals')} needed, from someone other than the requester.`,
    },
    expiresAt: formatTimeWithRelative(request.expiresAt, opts.now, timeZone),
    rejection: {
      ...personAt(request.rejection?.by, request.rejection?.at, timeZone),
      reasonLines: textLines(request.rejection?.reason),
    },
    cancellation: personAt(request.cancellation?.by, request.cancellation?.at, timeZone),
    defenderCancellation: personAt(
      request.defenderCancellation?.by,
      request.defenderCancellation?.at,
      timeZone,
    ),
  };
}
