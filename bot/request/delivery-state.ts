/**
 * What has reached Teams, recorded on the request so a missed card update or final
 * reply is delivered later rather than lost (docs/architecture.md, "Delivery to
 * Teams"). Pure transitions, applied with compare-and-set.
 *
 * `cardShownVersion` is the stored `version` the card shows. A delivery write itself
 * bumps `version`; the store contract (bot/store/types.ts) makes that bump exactly
 * one, so when nothing else was written since the card was rendered, the write
 * records the version it is about to get and the card stays marked up to date.
 */
import type { OffboardRequest } from './model';

/** The version the card shows after this write, if `cur` is still what was rendered. */
function shownAfterWrite(cur: OffboardRequest, renderedVersion: number): number {
  return cur.version === renderedVersion ? cur.version + 1 : renderedVersion;
}

export function recordCardPosted(
  cur: OffboardRequest,
  activityId: string,
  renderedVersion: number,
): OffboardRequest {
  return {
    ...cur,
    conversation: { ...cur.conversation, cardActivityId: activityId },
    delivery: { ...cur.delivery, cardShownVersion: shownAfterWrite(cur, renderedVersion) },
  };
}

export function recordCardShown(cur: OffboardRequest, renderedVersion: number): OffboardRequest {
  return { ...cur, delivery: { ...cur.delivery, cardShownVersion: shownAfterWrite(cur, renderedVersion) } };
}

export function recordFinalNotice(cur: OffboardRequest, now: number): OffboardRequest {
  return {
    ...cur,
    delivery: {
      ...cur.delivery,
      finalNoticeAt: new Date(now).toISOString(),
      // This write changes nothing the card shows: keep an up-to-date card marked so.
      cardShownVersion: needsCardUpdate(cur) ? cur.delivery?.cardShownVersion : cur.version + 1,
    },
  };
}

export function needsFinalNotice(r: OffboardRequest): boolean {
  // Expiry is told too (issue #13): the requester learns nothing was sent and may ask again.
  const final =
    r.state === 'completed' || r.state === 'failed' || r.state === 'outcome_unknown' || r.state === 'expired';
  return final && !r.delivery?.finalNoticeAt;
}

export function needsCardUpdate(r: OffboardRequest): boolean {
  return r.delivery?.cardShownVersion !== r.version;
}

/** When the request was submitted for approval (its `submitted` event; else its creation). */
export function submittedAt(r: OffboardRequest): number {
  const e = r.history.find((h) => h.event === 'submitted');
  return Date.parse(e?.at ?? r.createdAt);
}

/** Is the one reminder to approve due (issue #13, part 5)? */
export function needsReminder(r: OffboardRequest, now: number, afterMs: number): boolean {
  return r.state === 'awaiting_approval' && !r.delivery?.reminderAt && submittedAt(r) + afterMs <= now;
}

export function recordReminder(cur: OffboardRequest, now: number): OffboardRequest {
  return {
    ...cur,
    delivery: {
      ...cur.delivery,
      reminderAt: new Date(now).toISOString(),
      // Nothing the card shows changes: keep an up-to-date card marked so.
      cardShownVersion: needsCardUpdate(cur) ? cur.delivery?.cardShownVersion : cur.version + 1,
    },
  };
}
