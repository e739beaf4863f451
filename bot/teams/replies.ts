/**
 * Chat texts for the outcomes of `offboard <machine>`, `status`, `pending` and `cancel`,
 * in the reader's language (docs/i18n.md). Markdown, as Teams renders it; anything that
 * came from a user or from Defender is escaped first.
 */
import type { OffboardRequest } from '../request/model';
import type { Machine } from '../defender/types';
import type { OpenOutcome } from '../offboarding/open';
import { cardLink, type PendingItem } from '../offboarding/pending';
import type { CancelOutcome } from '../offboarding/cancel';
import { bulkStoppedText } from '../offboarding/bulk-notices';
import { tell, type Translator } from '../i18n';
import { stateBadge } from '../../cards/state-badge';
import { visibleText } from '../../cards/format';
import { platformReasonText, refusalText } from './localized-errors';

export function escapeMd(s: string): string {
  // Only what Teams' markdown acts on inside a line; '-' and '.' stay readable.
  return visibleText(s).replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

const describe = (t: Translator, m: Machine) =>
  t('chat.device', {
    name: escapeMd(m.computerDnsName),
    os: m.osPlatform ? escapeMd(m.osPlatform) : t('chat.unknownOs'),
    id: m.id,
  });

export function openOutcomeText(
  t: Translator,
  o: Exclude<OpenOutcome, { kind: 'created' | 'ambiguous' }>,
): string {
  switch (o.kind) {
    case 'refused':
      return refusalText(t, o);
    case 'not_found': {
      const query = escapeMd(o.query);
      if (!o.suggestions.length) return t('chat.notFound', { query });
      const list = o.suggestions.map((m) => `- ${escapeMd(m.computerDnsName)}`).join('\n');
      return t('chat.notFoundSimilar', { query, list });
    }
    case 'unsupported':
      return t('chat.unsupported', {
        device: describe(t, o.machine),
        reason: escapeMd(platformReasonText(t, o.reason)),
      });
    case 'already_pending':
      return t('chat.alreadyPending', {
        device: describe(t, o.machine),
        actionId: o.action.id,
        status: o.action.status,
      });
    case 'already_requested':
      return t('chat.alreadyRequested', {
        device: describe(t, o.machine),
        id: o.request.id,
        state: stateLabel(t, o.request),
      });
  }
}

/** The state as the card's badge names it (one text for card and chat), mid-sentence. */
function stateLabel(t: Translator, r: OffboardRequest): string {
  const { badge } = stateBadge(r, { locale: t.locale });
  return t.locale === 'en' ? badge.charAt(0).toLowerCase() + badge.slice(1) : badge.toLowerCase();
}

export function statusText(t: Translator, r: OffboardRequest): string {
  const devices = r.targets.map((x) => escapeMd(x.computerDnsName)).join(', ');
  const lines = [
    t('chat.statusHead', { id: r.id, devices, requester: escapeMd(r.requester.name) }),
    t('chat.statusState', { state: stateLabel(t, r) }),
  ];
  if (r.approvals.length)
    lines.push(t('chat.statusApprovedBy', { names: r.approvals.map((a) => escapeMd(a.by.name)).join(', ') }));
  for (const x of r.targets) {
    if (x.execution.actionId)
      lines.push(
        t('chat.statusAction', { actionId: x.execution.actionId, status: x.execution.actionStatus ?? '…' }),
      );
    if (x.execution.error)
      lines.push(t('chat.statusError', { message: escapeMd(tell(t, x.execution.error)) }));
  }
  return lines.join('\n\n');
}

/** "3 h", "2 d": how long a request has been open, to the hour. */
function age(t: Translator, fromIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return t('chat.ageMinutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  return hours < 48
    ? t('chat.ageHours', { count: hours })
    : t('chat.ageDays', { count: Math.floor(hours / 24) });
}

/**
 * The answer to `pending`. Lines about requests of another conversation (a personal
 * chat lists them) carry only the device, the state and the link to the card.
 */
export function pendingText(t: Translator, items: PendingItem[], more: number, now: number): string {
  if (!items.length) return t('chat.pendingNone');
  const line = ({ request: r, here }: PendingItem) => {
    const devices = r.targets.map((x) => escapeMd(x.computerDnsName)).join(', ');
    const link = cardLink(r);
    const where = link ? ` [${t('chat.pendingOpenCard')}](${link})` : '';
    const details = here
      ? t('chat.pendingRequestedBy', { requester: escapeMd(r.requester.name), age: age(t, r.createdAt, now) })
      : '';
    return `- **${r.id}**: ${devices}${details}. ${stateLabel(t, r).replace(/^./, (c) => c.toUpperCase())}.${where}`;
  };
  const approve = items.filter((i) => i.role === 'approve');
  const mine = items.filter((i) => i.role === 'mine');
  const parts: string[] = [];
  if (approve.length)
    parts.push(t('chat.pendingAwaiting', { count: approve.length }), approve.map(line).join('\n'));
  if (mine.length) parts.push(t('chat.pendingMine', { count: mine.length }), mine.map(line).join('\n'));
  if (more) parts.push(t('chat.pendingMore', { count: more }));
  return parts.join('\n\n');
}

export function cancelText(t: Translator, o: CancelOutcome, requestId: string): string {
  switch (o.kind) {
    case 'unknown':
      return t('chat.cancelUnknown', { id: requestId });
    case 'refused':
      return refusalText(t, o);
    case 'cancelled':
      return t('chat.cancelled', { id: o.request.id });
    case 'defender_cancelled':
      return t('chat.defenderCancelled', { actionId: o.actionId, id: o.request.id });
    case 'bulk_stopped':
      return bulkStoppedText(t, o);
  }
}
