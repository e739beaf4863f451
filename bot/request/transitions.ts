/**
 * Pure transitions of the execution phase (after the deciding approval). The use
 * cases in bot/offboarding apply them and write with compare-and-set; keeping them
 * here makes the state machine readable in one place and testable without I/O
 * (docs/architecture.md, "Request lifecycle").
 */
import type { ActionStatus } from '../defender/types';
import { isFinalStatus } from '../defender/types';
import type { HistoryEntry, OffboardRequest, TargetExecution } from './model';

export interface CallError {
  code: string;
  message: string;
  target?: string;
}

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
  const next = patchTarget(
    r,
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
    }),
    {
      event: recovered ? 'action_found' : 'action_created',
      detail: { actionId: action.id, status: action.status },
    },
  );
  return settle({ ...next, state: 'tracking' }, now);
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

/** Once every target is final (action final, or failed without action), the request is too. */
function settle(r: OffboardRequest, now: number): OffboardRequest {
  const done = (e: TargetExecution) => (e.actionStatus ? isFinalStatus(e.actionStatus) : Boolean(e.error));
  if (!r.targets.every((t) => done(t.execution))) return r;
  const anyAction = r.targets.some((t) => t.execution.actionId);
  const unknown = r.targets.some((t) => t.execution.error?.unknownOutcome);
  const state = unknown ? 'outcome_unknown' : anyAction ? 'completed' : 'failed';
  const statuses = r.targets.map((t) => t.execution.actionStatus ?? 'NotStarted').join(',');
  const entry: HistoryEntry = {
    at: new Date(now).toISOString(),
    actor: 'system',
    event: state,
    detail: { statuses },
  };
  return { ...r, state, history: state === r.state ? r.history : [...r.history, entry] };
}
