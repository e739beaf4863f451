/**
 * The bridge to the pure two-person rule (bot/request/policy.ts): it decides on sets
 * of ids, so the use case first asks the Directory about exactly the people a decision
 * involves and passes the answer in as those sets (docs/directory.md, "Wiring").
 */
import type { Audience, Directory, MembershipCheck } from './types';

export interface RosterAudiences {
  requesters: Audience;
  approvers: Audience;
}

export interface RosterPeople {
  /** Whose standing as a requester matters: the request's requester, or who opens one. */
  requesters: readonly string[];
  /** Whose standing as an approver matters: who clicks, and who has approved so far. */
  approvers: readonly string[];
}

/**
 * The subset of `people` who qualify now. Any GraphError rejects the whole answer:
 * the caller then counts nothing and answers with the error's chat message.
 */
export async function resolveRoster(
  directory: Directory,
  audiences: RosterAudiences,
  people: RosterPeople,
  check: MembershipCheck,
): Promise<{ requesters: Set<string>; approvers: Set<string> }> {
  const qualified = async (ids: readonly string[], audience: Audience) => {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const answers = await Promise.all(unique.map((id) => directory.isMember(id, audience, check)));
    return new Set(unique.filter((_, i) => answers[i]));
  };
  const [requesters, approvers] = await Promise.all([
    qualified(people.requesters, audiences.requesters),
    qualified(people.approvers, audiences.approvers),
  ]);
  return { requesters, approvers };
}
