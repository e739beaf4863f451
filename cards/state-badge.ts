/**
 * The one state-to-label text: the card's badge, and the state named in chat
 * replies (`status`, "already has an open request").
 */
import type { OffboardRequest } from '../bot/request/model';
import { formatTime } from './format';

export type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';

export function stateBadge(
  request: OffboardRequest,
  timeZone?: string,
  counts = { count: request.approvals.length, required: request.approvalsRequired },
): { badge: string; badgeColor: TextColor } {
  const { state, targets } = request;
  switch (state) {
    case 'draft':
      return { badge: 'Draft', badgeColor: 'default' };
    case 'awaiting_approval':
      return {
        badge: `Awaiting approval (${counts.count} of ${counts.required})`,
        badgeColor: 'warning',
      };
    case 'executing': {
      const queued = targets.find((t) => t.execution.queuedUntil && !t.execution.actionId);
      return queued
        ? {
            badge: `Queued at Defender until ${formatTime(queued.execution.queuedUntil, timeZone)}`,
            badgeColor: 'accent',
          }
        : { badge: 'Executing', badgeColor: 'accent' };
    }
    case 'tracking':
      return { badge: 'Offboarding in progress', badgeColor: 'accent' };
    case 'completed':
      return succeeded(request)
        ? { badge: 'Succeeded', badgeColor: 'good' }
        : { badge: 'Failed', badgeColor: 'attention' };
    case 'failed':
      return { badge: 'Failed', badgeColor: 'attention' };
    case 'outcome_unknown':
      return { badge: 'Outcome unknown', badgeColor: 'warning' };
    case 'rejected':
      return { badge: 'Rejected', badgeColor: 'attention' };
    case 'cancelled':
      return { badge: 'Cancelled', badgeColor: 'default' };
    case 'expired':
      return { badge: 'Expired', badgeColor: 'default' };
  }
}

export function succeeded(request: OffboardRequest): boolean {
  return request.targets.every((t) => t.execution.actionStatus === 'Succeeded');
}
