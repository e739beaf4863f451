/**
 * Texts posted into the request's thread, in the addressee's language: the requester's
 * stored Teams locale, else BOT_DEFAULT_LOCALE (docs/i18n.md). Plain text: the card
 * carries the details.
 */
import { tell, translator, type Locale, type Translator } from '../i18n';
import type { OffboardRequest, StoredError } from '../request/model';

/**
 * A stored execution error in the reader's language: by its key when the row has one
 * (Defender's own words inside stay as Defender wrote them); an older row's English
 * message as written.
 */
export function executionErrorText(t: Translator, error: StoredError): string {
  return tell(t, error);
}

/** The requester's language, else the deployment's default. */
export function requesterLocale(r: OffboardRequest, fallback: Locale = 'en'): Locale {
  return r.requester.locale ?? fallback;
}

export function finalNotice(r: OffboardRequest, fallback: Locale = 'en'): string {
  const t = translator(requesterLocale(r, fallback));
  if (r.state === 'expired')
    return t('notice.expired', { id: r.id, devices: r.targets.map((x) => x.computerDnsName).join(', ') });
  const lines = r.targets.map((x) => {
    const e = x.execution;
    const device = x.computerDnsName;
    if (e.actionStatus === 'Succeeded') return t('notice.succeeded', { device, actionId: e.actionId ?? '' });
    if (e.actionStatus)
      return t('notice.ended', { device, actionId: e.actionId ?? '', status: e.actionStatus });
    const ref = e.error?.target ? t('notice.supportRef', { ref: e.error.target }) : '';
    if (e.error?.unknownOutcome) return t('notice.unknownOutcome', { device, ref });
    const error = e.error?.message ? executionErrorText(t, e.error) : t('notice.unknownError');
    return t('notice.failed', { device, error, ref });
  });
  return [t('notice.finished', { id: r.id }), ...lines].join('\n\n');
}

/** Posted when a cancel stopped the Defender action before the device picked it up. */
export function defenderCancelledNotice(
  r: OffboardRequest,
  o: { by: string; actionId: string },
  fallback: Locale = 'en',
): string {
  return translator(requesterLocale(r, fallback))('notice.defenderCancelled', {
    name: o.by,
    actionId: o.actionId,
  });
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
  t: Translator = translator('en'),
): string {
  const devices = r.targets.map((x) => x.computerDnsName).join(', ');
  const hours = Math.max(0, Math.round((Date.parse(r.expiresAt) - o.now) / 3600_000));
  const need = t('notice.moreApprovals', { count: o.approvalsMissing });
  const who =
    o.mentioned > 0
      ? t('notice.youMayApprove')
      : o.candidates > MAX_REMINDER_MENTIONS
        ? t('notice.ruleMayApprove', { rule: o.ruleSummary })
        : t('notice.ruleMayApproveUnmentioned', { rule: o.ruleSummary });
  return t('notice.reminder', { id: r.id, devices, need, hours: String(hours), who });
}
