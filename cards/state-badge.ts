/**
 * The one state-to-label text: the card's badge, and the state named in chat
 * replies (`status`, "already has an open request"). On a card the queue time is a
 * DATE()/TIME() function (the viewer's zone); in chat it is plain UTC text.
 */
import type { OffboardRequest, RequestState } from '../bot/request/model';
import type { Locale, MessageKey } from '../bot/i18n';
import { cardTime, formatTime } from './format';
import { cardTranslator } from './render';

export type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';

export interface BadgeOptions {
  /** English when absent. */
  locale?: Locale;
  /** Approvals as the policy counts them now; the request's own record when absent. */
  counts?: { count: number; required: number };
  /** For a card: times as text functions. Absent: plain `… UTC` text, for chat. */
  card?: boolean;
}

/** Badges that need no numbers or times. */
const PLAIN: Record<Exclude<RequestState, 'awaiting_approval' | 'executing' | 'completed'>, MessageKey> = {
  draft: 'card.badge.draft',
  tracking: 'card.badge.tracking',
  failed: 'card.badge.failed',
  outcome_unknown: 'card.badge.outcomeUnknown',
  rejected: 'card.badge.rejected',
  cancelled: 'card.badge.cancelled',
  expired: 'card.badge.expired',
};

const COLOR: Record<RequestState, TextColor> = {
  draft: 'default',
  awaiting_approval: 'warning',
  executing: 'accent',
  tracking: 'accent',
  completed: 'good',
  failed: 'attention',
  outcome_unknown: 'warning',
  rejected: 'attention',
  cancelled: 'default',
  expired: 'default',
};

export function stateBadge(
  request: OffboardRequest,
  opts: BadgeOptions = {},
): { badge: string; badgeColor: TextColor } {
  const t = cardTranslator(opts);
  const { state, targets } = request;
  const counts = opts.counts ?? { count: request.approvals.length, required: request.approvalsRequired };
  switch (state) {
    case 'awaiting_approval':
      return {
        badge: t('card.badge.awaiting', { count: counts.count, required: counts.required }),
        badgeColor: COLOR[state],
      };
    case 'executing': {
      const queued = targets.find((x) => x.execution.queuedUntil && !x.execution.actionId);
      if (!queued) return { badge: t('card.badge.executing'), badgeColor: COLOR[state] };
      const until = queued.execution.queuedUntil;
      const when = opts.card ? cardTime(until, t) : formatTime(until);
      return { badge: t('card.badge.queued', { when }), badgeColor: COLOR[state] };
    }
    case 'completed':
      if (succeeded(request)) return { badge: t('card.badge.succeeded'), badgeColor: 'good' };
      // Cancelled on purpose before the device picked it up: not a failure.
      return request.defenderCancellation
        ? { badge: t('card.badge.defenderCancelled'), badgeColor: 'default' }
        : { badge: t('card.badge.failed'), badgeColor: 'attention' };
    default:
      return { badge: t(PLAIN[state]), badgeColor: COLOR[state] };
  }
}

export function succeeded(request: OffboardRequest): boolean {
  return request.targets.every((t) => t.execution.actionStatus === 'Succeeded');
}
