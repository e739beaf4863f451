/**
 * Texts about a request with many devices, in the caller's language: the final reply
 * (counts, then the devices that did not end well), `status … failed`, and what a
 * `cancel` after approval did. Error texts from Defender or the executor stay as
 * written (English). Plain text: the card carries the details.
 */
import { tell, type Translator } from '../i18n';
import type { OffboardRequest, Target } from '../request/model';
import type { CancelOutcome } from './cancel';
import { bulkProgress, troubledTargets, type BulkProgress } from '../request/bulk-progress';

/** The final reply lists at most this many devices, then "and N more". */
export const MAX_FAILURE_LINES = 30;

/** One line per outcome that has devices, in a fixed order. */
export function countLines(t: Translator, p: BulkProgress): string[] {
  const lines: string[] = [];
  if (p.succeeded) lines.push(t('run.succeeded', { count: p.succeeded }));
  if (p.pending) lines.push(t('run.pending', { count: p.pending }));
  if (p.failed) lines.push(t('run.failed', { count: p.failed }));
  if (p.unknown) lines.push(t('run.unknown', { count: p.unknown }));
  if (p.cancelled) lines.push(t('run.cancelled', { count: p.cancelled }));
  if (p.unsent) lines.push(t('run.unsent', { count: p.unsent }));
  return lines;
}

/** The one-line summary for a card or a reply while the request runs. */
export function progressLine(t: Translator, p: BulkProgress): string {
  const { succeeded, pending, failed, unknown, unsent } = p;
  return t('run.progress', { succeeded, pending, failed, unknown, unsent });
}

function reason(t: Translator, target: Target, outcome: 'failed' | 'unknown'): string {
  const e = target.execution;
  if (outcome === 'unknown') return t('run.unknownReason');
  if (e.actionStatus) return t('run.actionEnded', { actionId: e.actionId ?? '', status: e.actionStatus });
  const ref = e.error?.target ? ` (${e.error.target})` : '';
  // A stored error by its key in the reader's language; an older row's English as written.
  return `${e.error?.message ? tell(t, e.error) : (e.error?.code ?? '')}${ref}`;
}

function troubleLines(t: Translator, r: OffboardRequest, max: number): string[] {
  const troubled = troubledTargets(r);
  const lines = troubled
    .slice(0, max)
    .map(({ target, outcome }) =>
      t('run.failureLine', { device: target.computerDnsName, reason: reason(t, target, outcome) }),
    );
  if (troubled.length > max) lines.push(t('run.more', { count: troubled.length - max, id: r.id }));
  return lines;
}

/** The final reply of a bulk request: counts, then at most MAX_FAILURE_LINES devices that did not end well. */
export function bulkFinalNotice(r: OffboardRequest, t: Translator, now = Date.parse(r.updatedAt)): string {
  const p = bulkProgress(r, now);
  const parts = [t('run.finished', { count: p.total, id: r.id }), countLines(t, p).join('\n')];
  const trouble = troubleLines(t, r, MAX_FAILURE_LINES);
  if (trouble.length) parts.push([t('run.failuresHeader'), ...trouble].join('\n'));
  return parts.join('\n\n');
}

/**
 * `status OFB-… failed`: every device that failed or whose outcome is unknown, however
 * many (Teams shows long messages; each line is short).
 */
export function failedListText(r: OffboardRequest, t: Translator): string {
  const troubled = troubledTargets(r);
  if (!troubled.length) return t('run.failedNone', { id: r.id });
  return [
    t('run.failedHeader', { count: troubled.length, id: r.id }),
    troubleLines(t, r, Number.POSITIVE_INFINITY).join('\n'),
  ].join('\n\n');
}

/** The reply to `cancel` on a bulk request after approval. */
export function bulkStoppedText(t: Translator, o: Extract<CancelOutcome, { kind: 'bulk_stopped' }>): string {
  const id = o.request.id;
  const first = o.stopped ? t('run.stoppedUnsent', { count: o.stopped, id }) : t('run.stoppedNone', { id });
  return o.sent ? `${first} ${t('run.stoppedSent', { count: o.sent })}` : first;
}
