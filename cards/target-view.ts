/**
 * One target (device) of a request as the card shows it: the device facts, then what
 * Defender did with it. Optional execution facts are '' when absent; the template
 * drops a fact whose value is '' (`$when`), so no binding is ever left unexpanded.
 */
import type { RequestState, StoredError, Target, TargetExecution } from '../bot/request/model';
import type { ActionStatus } from '../bot/defender/types';
import { tell, type MessageKey, type Translator } from '../bot/i18n';
import { cardTimeWithRelative, factValue, markdownText } from './format';
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
const STATUS_TEXT: Record<ActionStatus, MessageKey> = {
  Pending: 'card.status.Pending',
  InProgress: 'card.status.InProgress',
  Succeeded: 'card.status.Succeeded',
  Failed: 'card.status.Failed',
  TimeOut: 'card.status.TimeOut',
  Cancelled: 'card.status.Cancelled',
};

function statusKey(execution: TargetExecution, state: RequestState): MessageKey {
  if (execution.actionStatus) return STATUS_TEXT[execution.actionStatus];
  if (execution.error?.unknownOutcome) return 'card.status.unknown';
  if (execution.error || state === 'failed') return 'card.status.notAccepted';
  if (execution.lastError)
    return execution.lastError.code.startsWith('Graph')
      ? 'card.status.retryGraph'
      : 'card.status.retryDefender';
  if (execution.queuedUntil) return 'card.status.queued';
  if (execution.startedAt) return 'card.status.sending';
  return 'card.status.notStarted';
}

/** `message (code)`: the error as recorded (its words come from the code that raised it). */
/** A row written since errors carry keys shows the viewer's language; an older row its English. */
function errorText(e: StoredError, t: Translator): string {
  return markdownText(`${tell(t, e)} (${e.code})`);
}

function executionView(
  execution: TargetExecution,
  state: RequestState,
  now: number,
  t: Translator,
): ExecutionView {
  const { error } = execution;
  // A temporary failure (Defender or its sign-in unreachable) is shown with the next
  // try, so a request that waits is never silently stuck (issue: faults on both sides).
  const pending = !error && execution.lastError ? execution.lastError : undefined;
  const nextTry = execution.actionId ? execution.nextCheckAt : execution.retryAt;
  // Times stay out of markdownText, which would defuse their functions (format.ts cardTime).
  const retryText = !pending
    ? ''
    : nextTry
      ? t('card.retryAt', { error: errorText(pending, t), when: cardTimeWithRelative(nextTry, now, t) })
      : t('card.retry', { error: errorText(pending, t) });
  // The queue is only news until Defender has created the action.
  const queued = execution.queuedUntil && !execution.actionId ? execution.queuedUntil : undefined;
  return {
    actionId: factValue(execution.actionId),
    status: t(statusKey(execution, state)),
    queuedUntil: queued ? cardTimeWithRelative(queued, now, t) : '',
    checkedAt: execution.checkedAt ? cardTimeWithRelative(execution.checkedAt, now, t) : '',
    error: error ? errorText(error, t) : retryText,
    supportRef: (error ?? pending)?.target ? markdownText((error ?? pending)!.target!) : '',
  };
}

/** The execution facts' titles, in the card's language. */
export function executionLabels(t: Translator) {
  return {
    action: t('card.fact.action'),
    status: t('card.fact.status'),
    queuedUntil: t('card.fact.queuedUntil'),
    checkedAt: t('card.fact.checkedAt'),
    error: t('card.fact.error'),
    supportRef: t('card.fact.supportRef'),
  };
}

export function targetViews(
  targets: Target[],
  state: RequestState,
  now: number,
  t: Translator,
): TargetView[] {
  return targets.map((target, index) => ({
    ...machineView(target.machine, now, t),
    heading:
      targets.length > 1 ? t('card.deviceOf', { index: index + 1, total: targets.length }) : t('card.device'),
    execution: executionView(target.execution, state, now, t),
  }));
}
