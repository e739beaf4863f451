/**
 * Chat texts for the outcomes of `offboard <machine>`. Markdown, as Teams renders it;
 * anything that came from a user or from Defender is escaped first.
 */
import type { OffboardRequest } from '../request/model';
import type { Machine } from '../defender/types';
import type { OpenOutcome } from '../offboarding/open';
import { cardLink, type PendingItem } from '../offboarding/pending';
import type { CancelOutcome } from '../offboarding/cancel';
import { bulkStoppedText } from '../offboarding/bulk-notices';
import { translator } from '../i18n';
import { stateBadge } from '../../cards/state-badge';
import { visibleText } from '../../cards/format';

export function escapeMd(s: string): string {
  // Only what Teams' markdown acts on inside a line; '-' and '.' stay readable.
  return visibleText(s).replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

const describe = (m: Machine) =>
  `**${escapeMd(m.computerDnsName)}** (${escapeMd(m.osPlatform ?? 'unknown OS')}, id \`${m.id}\`)`;

export function openOutcomeText(o: Exclude<OpenOutcome, { kind: 'created' | 'ambiguous' }>): string {
  switch (o.kind) {
    case 'refused':
      return o.message;
    case 'not_found': {
      const head = `I found no device named **${escapeMd(o.query)}** in Defender.`;
      if (!o.suggestions.length)
        return `${head} Check the name, or use the device id from the Defender portal.`;
      const list = o.suggestions.map((m) => `- ${escapeMd(m.computerDnsName)}`).join('\n');
      return `${head} Similar names:\n\n${list}`;
    }
    case 'unsupported':
      return `I can't offboard ${describe(o.machine)}: ${escapeMd(o.reason)}`;
    case 'already_pending':
      return (
        `${describe(o.machine)} already has an offboard action in Defender: ` +
        `\`${o.action.id}\`, status **${o.action.status}**. No new request was opened.`
      );
    case 'already_requested':
      return (
        `${describe(o.machine)} already has an open request: **${o.request.id}** (${stateLabel(o.request)}). ` +
        `Use \`status ${o.request.id}\` to see it.`
      );
  }
}

/** The state as the card's badge names it (one text for card and chat), mid-sentence. */
function stateLabel(r: OffboardRequest): string {
  const { badge } = stateBadge(r);
  return badge.charAt(0).toLowerCase() + badge.slice(1);
}

export function statusText(r: OffboardRequest): string {
  const devices = r.targets.map((t) => escapeMd(t.computerDnsName)).join(', ');
  const lines = [
    `**${r.id}**: offboard ${devices}, requested by ${escapeMd(r.requester.name)}.`,
    `State: ${stateLabel(r)}.`,
  ];
  if (r.approvals.length)
    lines.push(`Approved by: ${r.approvals.map((a) => escapeMd(a.by.name)).join(', ')}.`);
  for (const t of r.targets) {
    if (t.execution.actionId)
      lines.push(`Defender action \`${t.execution.actionId}\`: ${t.execution.actionStatus ?? '…'}.`);
    if (t.execution.error) lines.push(`Error: ${escapeMd(t.execution.error.message)}`);
  }
  return lines.join('\n\n');
}

/** "3 h", "2 d": how long a request has been open, to the hour. */
function age(fromIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/**
 * The answer to `pending`. Lines about requests of another conversation (a personal
 * chat lists them) carry only the device, the state and the link to the card.
 */
export function pendingText(items: PendingItem[], more: number, now: number): string {
  if (!items.length)
    return 'Nothing waits for you: no request awaits your approval and you have no open request.';
  const line = ({ request: r, here }: PendingItem) => {
    const devices = r.targets.map((t) => escapeMd(t.computerDnsName)).join(', ');
    const link = cardLink(r);
    const where = link ? ` [open the card](${link})` : '';
    const details = here ? `, requested by ${escapeMd(r.requester.name)} ${age(r.createdAt, now)} ago` : '';
    return `- **${r.id}**: ${devices}${details}. ${stateLabel(r).replace(/^./, (c) => c.toUpperCase())}.${where}`;
  };
  const approve = items.filter((i) => i.role === 'approve');
  const mine = items.filter((i) => i.role === 'mine');
  const parts: string[] = [];
  if (approve.length)
    parts.push(`**Awaiting your approval** (${approve.length})`, approve.map(line).join('\n'));
  if (mine.length) parts.push(`**Your open requests** (${mine.length})`, mine.map(line).join('\n'));
  if (more) parts.push(`…and ${more} more.`);
  return parts.join('\n\n');
}

export function cancelText(o: CancelOutcome, requestId: string): string {
  switch (o.kind) {
    case 'unknown':
      return `I know no request ${requestId} that you can cancel here.`;
    case 'refused':
      return o.message;
    case 'cancelled':
      return `Request ${o.request.id} is cancelled: nothing was sent to Defender.`;
    case 'defender_cancelled':
      return `The Defender action \`${o.actionId}\` of ${o.request.id} is cancelled: the device stays onboarded.`;
    case 'bulk_stopped':
      return bulkStoppedText(translator('en'), o);
  }
}
