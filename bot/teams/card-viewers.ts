/**
 * Who gets their own view of a request's card (`refresh.userIds`): the requester, then
 * the conversation's members who may approve under the request's rule, in the order of
 * the rule's approvers list (its users, then each group's members: groups are expanded
 * with Graph's transitiveMembers, cached), at most 60 (cards/request-card.ts). Object ids
 * become Teams ids through the conversation's roster (Bot Framework
 * `GET /v3/conversations/{id}/members`), cached per conversation. When the roster cannot
 * be read, no one is listed and everyone sees the shared card with its buttons.
 */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { OffboardRequest, Person } from '../request/model';
import type { ApproversAmong } from '../offboarding/rules';
import { MAX_VIEW_USERS } from '../../cards/request-card';

export interface CardViewers {
  userIds(r: OffboardRequest): Promise<string[]>;
  /** Names of the conversation's members who may still approve, for the requester's view. */
  stillApproverNames(r: OffboardRequest): Promise<string[]>;
}

export interface CardViewersDeps {
  roster: (r: OffboardRequest) => Promise<Person[]>;
  /** bot/offboarding/rules.ts approversAmong: cached group answers will do, the card only
   * decides who sees which buttons. */
  approvers: (r: OffboardRequest, roster: readonly Person[]) => Promise<ApproversAmong>;
  /** bot/offboarding/rules.ts stillApproverNames, in the rule's order. */
  stillApprovers: (r: OffboardRequest, roster: readonly Person[]) => Promise<string[]>;
  clock: Clock;
  logger: Logger;
  cacheMs: number;
}

export function createCardViewers(deps: CardViewersDeps): CardViewers {
  const cache = new Map<string, { at: number; members: Person[] }>();
  async function members(r: OffboardRequest): Promise<Person[]> {
    const key = r.conversation.conversationId.split(';')[0]!;
    const hit = cache.get(key);
    if (hit && deps.clock.now() - hit.at < deps.cacheMs) return hit.members;
    const fresh = await deps.roster(r);
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: deps.clock.now(), members: fresh });
    return fresh;
  }
  return {
    async userIds(r) {
      let found: ApproversAmong;
      try {
        found = await deps.approvers(r, await members(r));
      } catch (err) {
        deps.logger.warn({ err, requestId: r.id }, 'card viewers unavailable; shared card only');
        return [];
      }
      const ids: string[] = r.requester.teamsId ? [r.requester.teamsId] : [];
      const requester = r.requester.aadObjectId.toLowerCase();
      // Whose standing is unknown (a group Graph cannot expand now) still gets a view of
      // their own, after the known approvers: the shared card has no buttons for them.
      for (const m of [...found.people, ...found.unknown]) {
        if (ids.length >= MAX_VIEW_USERS) break;
        if (!m.teamsId || ids.includes(m.teamsId) || m.aadObjectId === requester) continue;
        ids.push(m.teamsId);
      }
      // The requester alone needs no views of their own: keep the shared card.
      return ids.length > 1 ? ids : [];
    },
    async stillApproverNames(r) {
      try {
        return await deps.stillApprovers(r, await members(r));
      } catch (err) {
        deps.logger.warn({ err, requestId: r.id }, 'approver names unavailable');
        return [];
      }
    },
  };
}
