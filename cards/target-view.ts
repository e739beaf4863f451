/**
 * One target (device) of a request as the card shows it: the device facts, then what
 * Defender did with it. Optional execution facts are '' when absent; the template
 * drops a fact whose value is '' (`$when`), so no binding is ever left unexpanded.
 */
import type { RequestState, Target, TargetExecution } from '../bot/request/model';
import type { ActionStatus } from '../bot/defender/types';
import { factValue, formatTimeWithRelative, markdownText } from './format';
import { machineView, type MachineView } from './machine-view';

export interface ExecutionView {
  actionId: string;
  status: string;
  queuedUntil: string;
  checkedAt: string;
  error: string;
  supportRef: string;
}

export interface TargetView extends MachineView {
  heading: string;
  execution: ExecutionView;
}

/** Defender's MachineAction status words, as a reader would say them. */
const STATUS_TEXT: Record<ActionStatus, string> = {
  Pending: 'Pending at Defender',
  InProgress: 'In progress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  TimeOut: 'Timed out at Defender',
  Cancelled: 'Cancelled at Defender',
};

function statusText(execution: TargetExecution, state: RequestState): string {
  if (execution.actionStatus) return STATUS_TEXT[execution.actionStatus];
  if (execution.error?.unknownOutcome) return 'Outcome unknown: check the Defender portal';
  if (execution.error || state === 'failed') return 'Not accepted by Defender';
  if (execution.lastError)
    return execution.lastError.code.startsWith('Graph')
      ? 'Retrying: Microsoft Graph did not answer'
      : 'Retrying: Defender did not answer';
  if (execution.queuedUntil) return 'Queued (Defender API rate limit)';
  if (execution.startedAt) return 'Sending to Defender';
  return 'Not started';
}

function executionView(
  execution: TargetExecution,
  state: RequestState,
  now: number,
  timeZone?: string,
): ExecutionView {
  const { error } = execution;
  // A temporary failure (Defender or its sign-in unreachable) is shown with the next
  // try, so a request that waits is never silently stuck (issue: faults on both sides).
  const pending = !error && execution.lastError ? execution.lastError : undefined;
  const nextTry = execution.actionId ? execution.nextCheckAt : execution.retryAt;
  const retryText = pending
    ? `${pending.message} (${pending.code}). Will retry${nextTry ? ` ${formatTimeWithRelative(nextTry, now, timeZone)}` : ''}.`
    : '';
  // The queue is only news until Defender has created the action.
  const queued = execution.queuedUntil && !execution.actionId ? execution.queuedUntil : undefined;
  return {
    actionId: factValue(execution.actionId),
    status: markdownText(statusText(execution, state)),
    queuedUntil: queued ? markdownText(formatTimeWithRelative(queued, now, timeZone)) : '',
    checkedAt: execution.checkedAt
      ? markdownText(formatTimeWithRelative(execution.checkedAt, now, timeZone))
      : '',
    error: error ? markdownText(`${error.message} (${error.code})`) : markdownText(retryText),
    supportRef: (error ?? pending)?.target ? markdownText((error ?? pending)!.target!) : '',
  };
}

export function targetViews(
  targets: Target[],
  state: RequestState,
  now: number,
  timeZone?: string,
): TargetView[] {
  return targets.map((target, index) => ({
    ...machineView(target.machine, now, timeZone),
    heading: targets.length > 1 ? `Device ${index + 1} of ${targets.length}` : 'Device',
    execution: executionView(target.execution, state, now, timeZone),
  }));
}
