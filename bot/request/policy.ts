/**
 * The two-person rule, as one pure function. Every card click goes through `decide`;
 * nothing here reads a clock, a store or the network, so every transition is a unit
 * test. Identity (`actor`, `tenantId`) comes from the activity, re-checked on every
 * click; card data never reaches this function except as the typed text inputs.
 */
import { withEnglish, type MessageKey, type Said, type SaidParams, type SaidValue } from '../i18n';
import { COMMENT_MAX, REJECT_REASON_MAX } from './limits';
import type { Approval, HistoryEntry, OffboardRequest, Person, RequestState } from './model';
import { isFinished } from './model';

export interface Roster {
  requesters: ReadonlySet<string>;
  approvers: ReadonlySet<string>;
  allowedTenantIds: ReadonlySet<string>;
}

export interface DecisionContext {
  actor: Person;
  tenantId: string | undefined;
  conversationId: string;
  now: number;
  roster: Roster;
  /** The settings now (they may have changed since the request was opened). */
  current?: CurrentSettings;
}

export interface CurrentSettings {
  /** APPROVALS_REQUIRED now; the larger of this and the request's own number applies. */
  approvalsRequired: number;
  /** A submitted request expires this long after it was submitted. */
  requestTtlMs: number;
}

export type UserAction =
  | { kind: 'submit'; comment: unknown }
  | { kind: 'approve' }
  | { kind: 'reject'; reason: unknown }
  | { kind: 'cancel' };

export type RefusalCode =
  | 'wrong_tenant'
  | 'not_requester'
  | 'not_approver'
  | 'self_approval'
  | 'already_approved'
  | 'finished'
  | 'wrong_state'
  | 'invalid_comment'
  | 'invalid_reason'
  | 'requester_revoked';

export type Decision = { ok: true; request: OffboardRequest; execute: boolean; notice: string } | Refusal;

/** A refusal by catalogue key (docs/i18n.md); `message` is its English text, for logs and tests. */
export interface Refusal extends Said {
  ok: false;
  code: RefusalCode;
  readonly message: string;
}

const refuse = (code: RefusalCode, key: MessageKey, params?: SaidParams): Refusal => ({
  ok: false,
  code,
  ...withEnglish(params ? { key, params } : { key }),
});

/** A finished state mid-sentence ("is already outcome unknown"). */
export const STATE_WORDS = {
  completed: 'errors.state.completed',
  failed: 'errors.state.failed',
  outcome_unknown: 'errors.state.outcomeUnknown',
  rejected: 'errors.state.rejected',
  cancelled: 'errors.state.cancelled',
  expired: 'errors.state.expired',
} as const satisfies Record<string, MessageKey>;

/** A finished state's word; any other state as written (it never reaches a refusal). */
export function stateWord(state: RequestState): SaidValue {
  const key = (STATE_WORDS as Partial<Record<RequestState, MessageKey>>)[state];
  return key ? { key } : state;
}

export function decide(request: OffboardRequest, action: UserAction, ctx: DecisionContext): Decision {
  const tenantProblem = checkTenant(request, ctx);
  if (tenantProblem) return tenantProblem;
  if (isFinished(request))
    return refuse('finished', 'errors.finished', { id: request.id, state: stateWord(request.state) });
  if (request.state === 'executing' || request.state === 'tracking')
    return refuse('finished', 'errors.inProgress', { id: request.id });

  const actor = ctx.actor.aadObjectId.toLowerCase();
  const isRequester = actor === request.requester.aadObjectId;
  switch (action.kind) {
    case 'submit': {
      if (!isRequester || !ctx.roster.requesters.has(actor))
        return refuse('not_requester', 'errors.onlyRequesterSubmits', { name: request.requester.name });
      if (request.state !== 'draft') return refuse('wrong_state', 'errors.commentLocked');
      const comment = checkText(action.comment, COMMENT_MAX);
      if (typeof comment !== 'string')
        return refuse('invalid_comment', 'errors.invalidComment', {
          max: String(COMMENT_MAX),
          why: comment.why,
        });
      // The audit trail keeps the comment itself: it is the reason the device was offboarded.
      const next = withEvent(request, ctx, 'submitted', { comment });
      // A draft lives a short time; once submitted, the approvers get the full TTL.
      const expiresAt = ctx.current ? iso(ctx.now + ctx.current.requestTtlMs) : request.expiresAt;
      return {
        ok: true,
        execute: false,
        request: { ...next, comment, state: 'awaiting_approval', expiresAt },
        notice: '',
      };
    }
    case 'approve': {
      if (request.state !== 'awaiting_approval') return refuse('wrong_state', 'errors.notSubmitted');
      if (isRequester) return refuse('self_approval', 'errors.selfApproval');
      if (!ctx.roster.approvers.has(actor)) return refuse('not_approver', 'errors.notApprover');
      if (!ctx.roster.requesters.has(request.requester.aadObjectId))
        return refuse('requester_revoked', 'errors.requesterRevoked', { name: request.requester.name });
      if (request.approvals.some((a) => a.by.aadObjectId === actor))
        return refuse('already_approved', 'errors.alreadyApproved');
      const at = iso(ctx.now);
      const approvals = [...request.approvals, { by: { ...ctx.actor, aadObjectId: actor }, at }];
      let next = withEvent(request, ctx, 'approved', { count: approvals.length });
      next = { ...next, approvals };
      // Only approvals by people who are approvers now count (re-checked on every click).
      const left = approvalsNeeded(next, ctx.current) - countingApprovals(next, ctx.roster).length;
      if (left > 0)
        return { ok: true, execute: false, request: next, notice: `Approved. ${left} more needed.` };
      // The deciding approval moves the request to `executing` in the same
      // compare-and-set write: only the writer that wins this transition makes the
      // Defender call, so two approvals at the same instant cannot both execute.
      next = withEvent(next, ctx, 'executing', {}, 'system');
      return {
        ok: true,
        execute: true,
        request: {
          ...next,
          state: 'executing',
          targets: next.targets.map((t) => ({ ...t, execution: { ...t.execution, startedAt: at } })),
        },
        notice: 'Approved. Offboarding starts now.',
      };
    }
    case 'reject': {
      // Any approver may also reject a draft, so a forgotten draft cannot block a device.
      if (request.state !== 'awaiting_approval' && request.state !== 'draft')
        return refuse('wrong_state', 'errors.rejectState');
      if (isRequester) return refuse('not_approver', 'errors.requesterRejects');
      if (!ctx.roster.approvers.has(actor)) return refuse('not_approver', 'errors.notApprover');
      const reason = checkText(action.reason, REJECT_REASON_MAX);
      if (typeof reason !== 'string')
        return refuse('invalid_reason', 'errors.invalidReason', {
          max: String(REJECT_REASON_MAX),
          why: reason.why,
        });
      const next = withEvent(request, ctx, 'rejected', { reason });
      const rejection = { by: { ...ctx.actor, aadObjectId: actor }, at: iso(ctx.now), reason };
      return {
        ok: true,
        execute: false,
        request: { ...next, state: 'rejected', rejection },
        notice: 'Rejected.',
      };
    }
    case 'cancel': {
      if (!isRequester)
        return refuse('not_requester', 'errors.onlyRequesterCancels', { name: request.requester.name });
      const next = withEvent(request, ctx, 'cancelled', {});
      const cancellation = { by: { ...ctx.actor, aadObjectId: actor }, at: iso(ctx.now) };
      return {
        ok: true,
        execute: false,
        request: { ...next, state: 'cancelled', cancellation },
        notice: 'Cancelled.',
      };
    }
  }
}

/** How many approvals this request needs now: never fewer than when it was opened. */
export function approvalsNeeded(request: OffboardRequest, current?: CurrentSettings): number {
  return Math.max(request.approvalsRequired, current?.approvalsRequired ?? 0);
}

/** The approvals that count now: by people who are approvers now, never the requester. */
export function countingApprovals(request: OffboardRequest, roster: Roster): Approval[] {
  return request.approvals.filter(
    (a) => roster.approvers.has(a.by.aadObjectId) && a.by.aadObjectId !== request.requester.aadObjectId,
  );
}

/**
 * The two-person rule, checked again from the stored approvals right before the
 * Defender call (a row written by hand in state `executing` is not executed).
 */
export function approvalsHold(
  request: OffboardRequest,
  roster: Roster,
  current?: CurrentSettings,
): { ok: true } | { ok: false; reason: Said } {
  if (!roster.requesters.has(request.requester.aadObjectId))
    return {
      ok: false,
      reason: { key: 'notice.error.requesterRevoked', params: { name: request.requester.name } },
    };
  const counted = new Set(countingApprovals(request, roster).map((a) => a.by.aadObjectId)).size;
  const needed = approvalsNeeded(request, current);
  if (counted < needed)
    return {
      ok: false,
      reason: {
        key: 'notice.error.approvalsCounted',
        params: { counted: String(counted), needed: String(needed) },
      },
    };
  return { ok: true };
}

/** A request past its TTL expires; returns the expired copy, or undefined if not due. */
export function expireIfDue(request: OffboardRequest, now: number): OffboardRequest | undefined {
  if (request.state !== 'draft' && request.state !== 'awaiting_approval') return undefined;
  if (now < Date.parse(request.expiresAt)) return undefined;
  const entry: HistoryEntry = { at: iso(now), event: 'expired', actor: 'system' };
  return { ...request, state: 'expired', updatedAt: iso(now), history: [...request.history, entry] };
}

/**
 * Who may read a request (`status`, a card's refresh): people on the requester or
 * approver lists, in the request's own conversation and tenant. Anyone else is told
 * "not found", so an id learns nothing.
 */
export function canRead(
  request: OffboardRequest,
  viewer: { actorId: string | undefined; tenantId: string | undefined; conversationId: string },
  roster: Roster,
): boolean {
  const actor = viewer.actorId?.toLowerCase();
  return (
    Boolean(actor) &&
    viewer.tenantId?.toLowerCase() === request.tenantId &&
    sameConversation(request.conversation.conversationId, viewer.conversationId) &&
    (roster.requesters.has(actor!) || roster.approvers.has(actor!))
  );
}

/** Channel thread ids carry `;messageid=…`; the channel itself is what must match. */
export function sameConversation(a: string, b: string): boolean {
  const base = (id: string) => id.split(';messageid=')[0]!.toLowerCase();
  return base(a) === base(b);
}

/** May this person open a request? Checked before any Defender lookup. */
export function canOpen(actor: Person, tenantId: string | undefined, roster: Roster): Refusal | undefined {
  if (!tenantId || !roster.allowedTenantIds.has(tenantId.toLowerCase()))
    return refuse('wrong_tenant', 'errors.wrongTenant');
  if (!roster.requesters.has(actor.aadObjectId.toLowerCase()))
    return refuse('not_requester', 'errors.notRequester');
  return undefined;
}

function checkTenant(request: OffboardRequest, ctx: DecisionContext): Refusal | undefined {
  const t = ctx.tenantId?.toLowerCase();
  if (!t || !ctx.roster.allowedTenantIds.has(t) || t !== request.tenantId)
    return refuse('wrong_tenant', 'errors.otherTenant');
  return undefined;
}

/** Trimmed text within bounds and without control characters, or why not. */
export function checkText(value: unknown, max: number): string | { why: Said } {
  if (typeof value !== 'string') return { why: { key: 'errors.whyEmpty' } };
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (!text) return { why: { key: 'errors.whyEmpty' } };
  if (text.length > max) return { why: { key: 'errors.whyLength', params: { count: String(text.length) } } };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text))
    return { why: { key: 'errors.whyControl' } };
  return text;
}

function withEvent(
  request: OffboardRequest,
  ctx: DecisionContext,
  event: HistoryEntry['event'],
  detail: HistoryEntry['detail'],
  actor: 'person' | 'system' = 'person',
): OffboardRequest {
  const entry: HistoryEntry = {
    at: iso(ctx.now),
    event,
    actor: actor === 'system' ? 'system' : ctx.actor.aadObjectId.toLowerCase(),
    actorName: actor === 'system' ? undefined : ctx.actor.name,
    conversationId: ctx.conversationId,
    detail,
  };
  return { ...request, updatedAt: iso(ctx.now), history: [...request.history, entry] };
}

const iso = (ms: number) => new Date(ms).toISOString();
