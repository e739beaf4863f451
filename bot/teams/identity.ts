/**
 * Who is acting, taken only from the activity Teams sent (and which Bot Framework
 * authentication vouched for): `from.aadObjectId` and `channelData.tenant.id`.
 * Card data is never consulted for identity (issue: "nothing in card data is trusted").
 */
import type { Activity } from 'botbuilder';
import type { Person } from '../request/model';

export function actorOf(activity: Partial<Activity>): Person | undefined {
  const from = activity.from;
  const aad = from?.aadObjectId;
  if (!aad || typeof aad !== 'string') return undefined;
  return { aadObjectId: aad.toLowerCase(), name: from?.name || 'Unknown user', teamsId: from?.id };
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
