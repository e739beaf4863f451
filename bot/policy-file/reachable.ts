/**
 * Can a request ever gather its approvals? For every requester, the approvers other
 * than that requester must number at least approvalsRequired. Listed people are
 * counted here; where groups count, the caller expands them (Directory.members) when
 * the request opens and passes the members in. Pure.
 */
import type { Audience } from '../directory/types';
import { withEnglish, type Told } from '../i18n';
import type { AppliedRule, PolicyRule } from './types';

export type Reachability =
  | { ok: true }
  /** Said by catalogue key (docs/i18n.md, "Errors and refusals"); `message` is the English. */
  | ({ ok: false } & Told)
  /** The listed people are not enough; the answer depends on these groups' members. */
  | { ok: 'needsGroups'; groups: readonly string[] };

type RuleShape = Pick<AppliedRule, 'name' | 'allowed' | 'approvers' | 'approvalsRequired'>;

export function reachable(
  rule: RuleShape,
  requesterId: string,
  /** group id → its members (every user, nested groups included), for each approver group. */
  groupMembers?: ReadonlyMap<string, Iterable<string>>,
): Reachability {
  if (!rule.allowed)
    return { ok: false, ...withEnglish({ key: 'errors.ruleForbids', params: { rule: rule.name } }) };
  const me = requesterId.toLowerCase();
  const others = new Set(rule.approvers.users.map((u) => u.toLowerCase()));
  const missing: string[] = [];
  for (const g of rule.approvers.groups) {
    const members = groupMembers?.get(g);
    if (!members) missing.push(g);
    else for (const m of members) others.add(m.toLowerCase());
  }
  others.delete(me);
  if (others.size >= rule.approvalsRequired) return { ok: true };
  if (missing.length) return { ok: 'needsGroups', groups: missing };
  const n = others.size;
  return {
    ok: false,
    ...withEnglish({
      key: 'errors.ruleUnreachable',
      params: {
        rule: rule.name,
        approvals: { key: 'errors.approvalsCount', params: { count: String(rule.approvalsRequired) } },
        others: { key: 'errors.otherApprovers', params: { count: String(n) } },
      },
    }),
  };
}

/**
 * At start: a rule whose listed approvers can be counted (no approver groups) and that
 * no listed requester could ever get approved. Groups are checked when a request opens.
 */
export function staticProblem(rule: PolicyRule, requesters: Audience): string | undefined {
  if (rule.approvers.groups.length) return undefined;
  const approvers = new Set(rule.approvers.users);
  const need = rule.approvalsRequired;
  if (approvers.size < need)
    return `${need} approvals can never be reached with ${approvers.size} approver(s) listed`;
  // Anyone in a requester group might also be a listed approver; count that worst case.
  const worst = requesters.groups.length
    ? [...approvers]
    : requesters.users.map((u) => u.toLowerCase()).filter((u) => approvers.has(u));
  if (worst.length && approvers.size - 1 < need)
    return (
      `${need} approvals can never be reached for a requester who is also one of the ` +
      `${approvers.size} listed approvers (the requester never counts); list at least ${need + 1}`
    );
  return undefined;
}
