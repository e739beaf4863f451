/**
 * Where a request with many targets stands, counted from the stored request alone (pure):
 * what the card, the final reply and `status … failed` show. Every target is in exactly
 * one bucket, so the counts always add up to the number of targets.
 */
import type { OffboardRequest, Target } from './model';
import { isUnsent, TARGET_CANCELLED } from './transitions';

export type TargetOutcome =
  /** Defender's action succeeded: the device is offboarded. */
  | 'succeeded'
  /** Sent: Defender's action is not final yet (Pending, InProgress). */
  | 'pending'
  /** Nothing was done, or Defender's action ended Failed, TimeOut or Cancelled. */
  | 'failed'
  /** We could not learn whether Defender accepted the offboard. */
  | 'unknown'
  /** Cancelled before it was sent: never POSTed. */
  | 'cancelled'
  /** Not sent yet (waiting for the rate limit or a retry). */
  | 'unsent';

export interface BulkProgress {
  total: number;
  succeeded: number;
  pending: number;
  failed: number;
  unknown: number;
  cancelled: number;
  unsent: number;
  /** Expected start of the last unsent target, epoch ms; absent when nothing waits. */
  etaMs?: number;
}

/** Defender's documented pace for one operation (docs/defender-api.md, "Rate limit"). */
const PER_MINUTE = 100;

export function targetOutcome(t: Target): TargetOutcome {
  const e = t.execution;
  if (e.actionStatus === 'Succeeded') return 'succeeded';
  if (e.actionStatus === 'Pending' || e.actionStatus === 'InProgress') return 'pending';
  if (e.actionStatus) return 'failed';
  if (e.error?.unknownOutcome) return 'unknown';
  if (e.error?.code === TARGET_CANCELLED) return 'cancelled';
  if (e.error) return 'failed';
  if (isUnsent(e)) return 'unsent';
  return 'pending';
}

export function bulkProgress(r: OffboardRequest, now: number): BulkProgress {
  const p: BulkProgress = {
    total: r.targets.length,
    succeeded: 0,
    pending: 0,
    failed: 0,
    unknown: 0,
    cancelled: 0,
    unsent: 0,
  };
  let latestQueued = 0;
  let notQueued = 0;
  for (const t of r.targets) {
    p[targetOutcome(t)]++;
    if (!isUnsent(t.execution)) continue;
    const q = Date.parse(t.execution.queuedUntil ?? '');
    if (q > now) latestQueued = Math.max(latestQueued, q);
    else notQueued++;
  }
  if (p.unsent > 0 && latestQueued > 0) {
    // Targets not yet in the limiter's queue start after the queued ones, at Defender's pace.
    p.etaMs = latestQueued + Math.ceil(notQueued / PER_MINUTE) * 60_000;
  }
  return p;
}

/** The targets that did not end well (failed or unknown), in request order. */
export function troubledTargets(
  r: OffboardRequest,
): Array<{ target: Target; outcome: 'failed' | 'unknown' }> {
  const out: Array<{ target: Target; outcome: 'failed' | 'unknown' }> = [];
  for (const target of r.targets) {
    const o = targetOutcome(target);
    if (o === 'failed' || o === 'unknown') out.push({ target, outcome: o });
  }
  return out;
}

/** Whether the request is a bulk one (more than one target): throttled card updates, summary reply. */
export function isBulk(r: OffboardRequest): boolean {
  return r.targets.length > 1;
}
