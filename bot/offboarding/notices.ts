import type { OffboardRequest } from '../request/model';

/** Texts posted into the request's thread. Plain text: the card carries the details. */
export function finalNotice(r: OffboardRequest): string {
  if (r.state === 'expired')
    return (
      `Request ${r.id} expired without enough approvals: nothing was sent to Defender. ` +
      `Start a new request if ${r.targets.map((t) => t.computerDnsName).join(', ')} still needs offboarding.`
    );
  const lines = r.targets.map((t) => {
    const e = t.execution;
    if (e.actionStatus === 'Succeeded')
      return `✅ ${t.computerDnsName} was offboarded (Defender action ${e.actionId}: Succeeded).`;
    if (e.actionStatus)
      return `⚠️ ${t.computerDnsName}: Defender action ${e.actionId} ended with status ${e.actionStatus}. The device may still be onboarded; check it in the Defender portal.`;
    const ref = e.error?.target ? ` (support reference: ${e.error.target})` : '';
    if (e.error?.unknownOutcome)
      return `❓ ${t.computerDnsName}: outcome unknown. Defender's answer could not be confirmed, so the device may or may not be offboarded: check its Action center in the Defender portal before asking again${ref}.`;
    return `❌ ${t.computerDnsName} was not offboarded: ${e.error?.message ?? 'unknown error'}${ref}`;
  });
  return [`Request ${r.id} is finished.`, ...lines].join('\n\n');
}

/** At most this many approvers are @mentioned by name; more, and the reminder names the rule's approvers. */
export const MAX_REMINDER_MENTIONS = 10;

/**
 * The one reminder while a request waits for approvals. `mentioned`: the approvers the
 * notifier @mentions (their names come first in the message); when empty, the text names
 * who may approve by the request's rule instead.
 */
export function reminderNotice(
  r: OffboardRequest,
  o: { approvalsMissing: number; ruleSummary: string; mentioned: number; candidates: number; now: number },
): string {
  const devices = r.targets.map((t) => t.computerDnsName).join(', ');
  const hours = Math.max(0, Math.round((Date.parse(r.expiresAt) - o.now) / 3600_000));
  const need = `${o.approvalsMissing} more approval${o.approvalsMissing === 1 ? '' : 's'}`;
  const who =
    o.mentioned > 0
      ? 'You may approve or reject it on the card above.'
      : o.candidates > MAX_REMINDER_MENTIONS
        ? `Approvers under "${o.ruleSummary}" may approve or reject it on the card above.`
        : `Approvers under "${o.ruleSummary}" may approve or reject it on the card above (none of them could be @mentioned: the bot knows no Teams id for them in this conversation).`;
  return `Reminder: request ${r.id} to offboard ${devices} still needs ${need} and expires in about ${hours} h. ${who}`;
}
