/**
 * `pending`: the requests awaiting the caller's approval (that they may give and have
 * not), and the caller's own open requests, newest first. Only the caller's tenant.
 * In the request's own conversation a line shows everything the card shows anyway;
 * anywhere else (a personal chat, another channel) only the device, the state and a
 * link to the card: the caller is on the lists for each request listed, and the link
 * opens only for people who are in that conversation (README, "Approvers from the directory").
 */
import { said, withEnglish, type Told } from '../i18n';
import { ACTIVE_STATES, type OffboardRequest, type Person } from '../request/model';
import { sameConversation } from '../request/policy';
import type { OffboardingDeps } from './ports';
import { directoryPolicyOf, ruleForRequest } from './rules';

export interface PendingQuery {
  actor: Person;
  tenantId: string | undefined;
  conversationId: string;
  /** A one-to-one chat with the bot: nobody else reads the answer. */
  personal: boolean;
}

export interface PendingItem {
  request: OffboardRequest;
  /** Awaiting the caller's approval, or the caller's own request. */
  role: 'approve' | 'mine';
  /** In the request's own conversation: requester and age may be shown too. */
  here: boolean;
}

/** At most this many lines per answer; the rest are counted. */
export const PENDING_MAX = 20;

export async function listPending(
  deps: OffboardingDeps,
  q: PendingQuery,
): Promise<{ items: PendingItem[]; more: number } | { refused: Told }> {
  const tenant = q.tenantId?.toLowerCase();
  if (!tenant || !deps.policy.roster.allowedTenantIds.has(tenant))
    return { refused: withEnglish(said('errors.wrongTenant')) };
  const me = q.actor.aadObjectId.toLowerCase();
  const { directory } = directoryPolicyOf(deps.policy);
  const items: PendingItem[] = [];
  const active = (await deps.store.listByState(ACTIVE_STATES)).filter((r) => r.tenantId === tenant);
  for (const r of active) {
    const here = sameConversation(r.conversation.conversationId, q.conversationId);
    // In a channel or group chat everyone reads the answer: only that conversation's requests.
    if (!here && !q.personal) continue;
    if (r.requester.aadObjectId === me) {
      items.push({ request: r, role: 'mine', here });
      continue;
    }
    if (r.state !== 'awaiting_approval' || r.approvals.some((a) => a.by.aadObjectId === me)) continue;
    const rule = ruleForRequest(deps.policy, r);
    // A list, not a decision: a cached group answer will do (the click asks Graph live).
    if (rule.allowed && (await directory.isMember(me, rule.approvers, { live: false })))
      items.push({ request: r, role: 'approve', here });
  }
  items.sort((a, b) => b.request.createdAt.localeCompare(a.request.createdAt));
  return { items: items.slice(0, PENDING_MAX), more: Math.max(0, items.length - PENDING_MAX) };
}

/**
 * A Teams deep link to the request's card message. Microsoft's format
 * (learn.microsoft.com, "Deep link to Teams chat": navigate to chat messages) is
 * `https://teams.microsoft.com/l/message/{conversation id}/{message id}`; a channel
 * thread adds `parentMessageId` (the thread's root), a chat `context={"contextType":"chat"}`.
 */
export function cardLink(r: OffboardRequest): string | undefined {
  const message = r.conversation.cardActivityId;
  if (!message) return undefined;
  const [base, rootFromId] = r.conversation.conversationId.split(';messageid=');
  const ref = r.conversation.reference as { conversation?: { conversationType?: string } };
  const type = ref.conversation?.conversationType;
  const params = new URLSearchParams({ tenantId: r.tenantId });
  if (type === 'channel') {
    const root = rootFromId ?? r.conversation.threadRootId;
    if (root) params.set('parentMessageId', root);
  } else {
    params.set('context', JSON.stringify({ contextType: 'chat' }));
  }
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(base!)}/${encodeURIComponent(message)}?${params}`;
}
