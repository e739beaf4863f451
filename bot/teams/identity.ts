/**
 * Who is acting, taken only from the activity Teams sent (and which Bot Framework
 * authentication vouched for): `from.aadObjectId` and `channelData.tenant.id`.
 * Card data is never consulted for identity (issue: "nothing in card data is trusted").
 */
import type { Activity } from 'botbuilder';
import type { Person } from '../request/model';
import { localeOf, type Locale } from '../i18n';

export function actorOf(activity: Partial<Activity>): Person | undefined {
  const from = activity.from;
  const aad = from?.aadObjectId;
  if (!aad || typeof aad !== 'string') return undefined;
  const person: Person = {
    aadObjectId: aad.toLowerCase(),
    name: from?.name || 'Unknown user',
    teamsId: from?.id,
  };
  // Only a locale Teams sent is stored: a missing one means BOT_DEFAULT_LOCALE at send time.
  const locale =
    typeof activity.locale === 'string' && activity.locale.trim() ? activityLocale(activity) : undefined;
  if (locale) person.locale = locale;
  return person;
}

/** The language to answer this activity in (docs/i18n.md, "Which language"). */
export function activityLocale(activity: Partial<Activity>, fallback: Locale = 'en'): Locale {
  return localeOf(typeof activity.locale === 'string' ? activity.locale : undefined, fallback);
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const t = typeof fromChannelData === 'string' ? fromChannelData : activity.conversation?.tenantId;
  return t ? t.toLowerCase() : undefined;
}

/** Texts of the mention entities that mention this bot, so the parser can strip them. */
export function botMentionTexts(activity: Partial<Activity>): string[] {
  const botId = activity.recipient?.id;
  return (activity.entities ?? [])
    .filter((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId)
    .map((e) => (e as { text?: unknown }).text)
    .filter((t): t is string => typeof t === 'string');
}
