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
