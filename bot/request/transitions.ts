/**
 * Pure transitions of the execution phase (after the deciding approval). The use
 * cases in bot/offboarding apply them and write with compare-and-set; keeping them
 * here makes the state machine readable in one place and testable without I/O
 * (docs/architecture.md, "Request lifecycle").
 *
 * With several targets the request stays `executing` while any target is unsent (no
 * action, no final error), moves to `tracking` once none is, and settles when every
 * target is final. One target's failure never stops the others.
 */
import type { ActionStatus } from '../defender/types';
import { withEnglish } from '../i18n';
import { isFinalStatus } from '../defender/types';
import type { HistoryEntry, OffboardRequest, StoredError, TargetExecution } from './model';

export type CallError = StoredError;

type Detail = HistoryEntry['detail'];

function patchTarget(
  request: OffboardRequest,
  machineId: string,
  now: number,
  patch: (e: TargetExecution) => TargetExecution,
  event?: { event: HistoryEntry['event']; detail: Detail },
): OffboardRequest {
  const at = new Date(now).toISOString();
  const targets = request.targets.map((t) =>
    t.machineId === machineId ? { ...t, execution: patch(t.execution) } : t,
  );
  const history = event
    ? [
        ...request.history,
        { at, actor: 'system', event: event.event, detail: { machineId, ...event.detail } },
      ]
    : request.history;
  return { ...request, targets, history, updatedAt: at };
}

/** The error code of a target that was cancelled before its POST (never sent). */
export const TARGET_CANCELLED = 'cancelled_before_send';

/** Neither sent (no action) nor ended (no final error): the executor still owes its call. */
export function isUnsent(e: TargetExecution): boolean {
  return !e.actionId && !e.error;
}

export function recordQueued(
  r: OffboardRequest,
  machineId: string,
  now: number,
  etaMs: number,
): OffboardRequest {
  const queuedUntil = new Date(etaMs).toISOString();
  return patchTarget(r, machineId, now, (e) => ({ ...e, queuedUntil }), {
    event: 'queued',
    detail: { until: queuedUntil },
  });
}

/** Defender accepted the offboard (or we found the action it had already created). */
export function recordAction(
  r: OffboardRequest,
  machineId: string,
  now: number,
  action: { id: string; status: ActionStatus },
  firstCheckAt: number,
  recovered: boolean,
): OffboardRequest {
  // Cancelled while this POST was under way: the action exists, so it is followed.
  const base: OffboardRequest = r.state === 'cancelled' ? { ...r, state: 'tracking' } : r;
  const next = patchTarget(
    base,
    machineId,
    now,
    (e) => ({
      ...e,
      queuedUntil: undefined,
      lastError: undefined,
      actionId: action.id,
      actionStatus: action.status,
      checkedAt: new Date(now).toISOString(),
      nextCheckAt: new Date(firstCheckAt).toISOString(),
      checks: 0,
      // Sent after all: a cancel that raced with this POST does not hide the action.
      error: e.error?.code === TARGET_CANCELLED ? undefined : e.error,
    }),
    {
      event: recovered ? 'action_found' : 'action_created',
      detail: { actionId: action.id, status: action.status },
    },
  );
  return settle(next, now);
}

/**
 * Queue estimates of several targets in one write (a bulk request must not be written
 * once per queued target); one history entry for the batch.
 */
export function recordQueuedMany(
  r: OffboardRequest,
  etas: ReadonlyMap<string, number>,
  now: number,
): OffboardRequest {
  const open = r.targets.filter((t) => etas.has(t.machineId) && isUnsent(t.execution));
  if (!open.length) return r;
  const at = new Date(now).toISOString();
  const latest = Math.max(...open.map((t) => etas.get(t.machineId)!));
  const targets = r.targets.map((t) =>
    etas.has(t.machineId) && isUnsent(t.execution)
      ? { ...t, execution: { ...t.execution, queuedUntil: new Date(etas.get(t.machineId)!).toISOString() } }
      : t,
  );
  const entry: HistoryEntry = {
    at,
    actor: 'system',
    event: 'queued',
    detail: { targets: open.length, until: new Date(latest).toISOString() },
  };
  return { ...r, targets, history: [...r.history, entry], updatedAt: at };
}

/**
 * `cancel` after approval: every unsent target is marked cancelled (it is never
 * POSTed); targets already sent keep going. One history entry for the request.
 */
export function cancelUnsent(
  r: OffboardRequest,
  now: number,
  by: { aadObjectId: string; name: string },
  conversationId?: string,
): OffboardRequest {
  const unsent = r.targets.filter((t) => isUnsent(t.execution));
  if (r.state !== 'executing' || !unsent.length) return r;
  const at = new Date(now).toISOString();
  const error = {
    code: TARGET_CANCELLED,
    ...withEnglish({ key: 'notice.error.cancelledBeforeSend', params: { name: by.name } }),
  };
  const targets = r.targets.map((t) =>
    isUnsent(t.execution)
      ? { ...t, execution: { ...t.execution, queuedUntil: undefined, retryAt: undefined, error } }
      : t,
  );
  const entry: HistoryEntry = {
    at,
    event: 'cancelled',
    actor: by.aadObjectId,
    actorName: by.name,
    conversationId,
    detail: { notSent: unsent.length, sent: r.targets.length - unsent.length },
  };
  return settle(
    { ...r, targets, history: [...r.history, entry], updatedAt: at, cancellation: { by: { ...by }, at } },
    now,
  );
}

/** Writes `startedAt` on unsent targets that lack it (one write before any of their POSTs). */
export function ensureStarted(r: OffboardRequest, now: number): OffboardRequest {
  if (!r.targets.some((t) => isUnsent(t.execution) && !t.execution.startedAt)) return r;
  const at = new Date(now).toISOString();
  const targets = r.targets.map((t) =>
    isUnsent(t.execution) && !t.execution.startedAt
      ? { ...t, execution: { ...t.execution, startedAt: at } }
      : t,
  );
  return { ...r, targets, updatedAt: at };
}

/** One status check; records a history entry only when the status changed. */
export function recordStatus(
  r: OffboardRequest,
  machineId: string,
  now: number,
  status: ActionStatus,
  nextCheckAt: number | undefined,
): OffboardRequest {
  const before = r.targets.find((t) => t.machineId === machineId)?.execution.actionStatus;
  const changed = before !== status;
  const next = patchTarget(
    r,
    machineId,
    now,
    (e) => ({
      ...e,
      actionStatus: status,
      lastError: undefined,
      checkedAt: new Date(now).toISOString(),
      nextCheckAt: nextCheckAt === undefined ? undefined : new Date(nextCheckAt).toISOString(),
      checks: (e.checks ?? 0) + 1,
    }),
    changed ? { event: 'status_changed', detail: { from: before, to: status } } : undefined,
  );
  return settle(next, now);
}

/** The Defender call failed and nothing was done on the device. */
export function recordFailure(
  r: OffboardRequest,
  machineId: string,
  now: number,
  error: CallError,
): OffboardRequest {
  return endTarget(r, machineId, now, error, false);
}

/**
 * We could not learn whether Defender accepted this target's offboard: a final state
 * that is neither failure nor success (the card and reply send people to the portal).
 */
export function recordUnknownOutcome(
  r: OffboardRequest,
  machineId: string,
  now: number,
  error: CallError,
): OffboardRequest {
  return endTarget(r, machineId, now, error, true);
}

/** A target that ends without an action of ours to follow ('refused' per target;
 * settle() adds the request-level event once all targets are done). */
function endTarget(
  r: OffboardRequest,
  machineId: string,
  now: number,
  error: CallError,
  unknownOutcome: boolean,
): OffboardRequest {
  const stored = unknownOutcome ? { ...error, unknownOutcome } : error;
  const detail = { code: error.code, target: error.target, ...(unknownOutcome ? { unknownOutcome } : {}) };
  const next = patchTarget(
    r,
    machineId,
    now,
    (e) => ({ ...e, queuedUntil: undefined, nextCheckAt: undefined, error: stored }),
    { event: 'refused', detail },
  );
  return settle(next, now);
}

/**
 * A Defender call for this target failed in a way that may be temporary: try again
 * at `retryAt` (the request stays `executing`).
 */
export function recordRetry(
  r: OffboardRequest,
  machineId: string,
  now: number,
  error: CallError,
  attempts: number,
  retryAt: number,
  uncertain = false,
): OffboardRequest {
  const at = new Date(retryAt).toISOString();
  const patch = (e: TargetExecution) => ({
    ...e,
    attempts,
    retryAt: at,
    lastError: error,
    ...(uncertain || e.uncertain ? { uncertain: true } : {}),
  });
  return patchTarget(r, machineId, now, patch, {
    event: 'call_failed',
    detail: { code: error.code, target: error.target, attempt: attempts, retryAt: at },
  });
}

/**
 * Reading the action's status failed: the status is unknown, not failed. Keep
 * tracking at `nextCheckAt`; the card shows the error and the next try.
 */
export function recordCheckFailed(
  r: OffboardRequest,
  machineId: string,
  now: number,
  error: CallError,
  checks: number,
  nextCheckAt: number,
): OffboardRequest {
  return patchTarget(r, machineId, now, (e) => ({
    ...e,
    checks,
    lastError: error,
    nextCheckAt: new Date(nextCheckAt).toISOString(),
  }));
}

/**
 * Once every target is final (action final, or ended without action), the request is
 * too; before that, an `executing` request with no unsent target moves to `tracking`.
 */
function settle(r: OffboardRequest, now: number): OffboardRequest {
  const done = (e: TargetExecution) => (e.actionStatus ? isFinalStatus(e.actionStatus) : Boolean(e.error));
  if (!r.targets.every((t) => done(t.execution))) {
    const sentAll = !r.targets.some((t) => isUnsent(t.execution));
    return r.state === 'executing' && sentAll ? { ...r, state: 'tracking' } : r;
  }
  const anyAction = r.targets.some((t) => t.execution.actionId);
  const unknown = r.targets.some((t) => t.execution.error?.unknownOutcome);
  const allCancelled = r.targets.every((t) => t.execution.error?.code === TARGET_CANCELLED);
  const state = unknown ? 'outcome_unknown' : anyAction ? 'completed' : allCancelled ? 'cancelled' : 'failed';
  const statuses = r.targets.map((t) => t.execution.actionStatus ?? 'NotStarted').join(',');
  const entry: HistoryEntry = {
    at: new Date(now).toISOString(),
    actor: 'system',
    event: state,
    detail: { statuses },
  };
  return { ...r, state, history: state === r.state ? r.history : [...r.history, entry] };
}
