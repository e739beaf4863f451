/**
 * The request flow's view of who may do what: the rule for a device (POLICY_FILE or the
 * environment) and, for the people a decision involves, whether they qualify now
 * through the lists or Entra groups (docs/directory.md, "Wiring"). Graph errors
 * propagate: the caller counts nothing and writes nothing.
 */
import { normalAudience, resolveRoster, staticDirectory, type Audience } from '../directory';
import { applied, ruleFor, type AppliedRule } from '../policy-file';
import type { OffboardRequest, Person } from '../request/model';
import { approvalsHold, canRead, type Roster } from '../request/policy';
import type { DirectoryPolicy, PolicySettings } from './ports';
import { AppError } from '../app-error';
import type { Said } from '../i18n';
import { isGraphError, type GraphError } from '../graph/graph-error';

/**
 * Graph could not confirm the approvers right before the Defender call: the executor
 * retries later (no HTTP status, so never a definitive refusal). The card shows this text.
 */
export class ApproverCheckUnavailable extends AppError {
  constructor(cause: GraphError) {
    super(cause.code, { key: 'errors.approverCheckUnavailable' }, { cause });
    this.name = 'ApproverCheckUnavailable';
  }
}

/** The rule stored on a request when it opens (the card shows `summary`). */
export interface StoredRule {
  name: string;
  summary: string;
  approvalsRequired: number;
}

export function directoryPolicyOf(policy: PolicySettings): DirectoryPolicy {
  if (policy.directory) return policy.directory;
  return {
    directory: staticDirectory(),
    env: {
      requesters: { users: [...policy.roster.requesters], groups: [] },
      approvers: { users: [...policy.roster.approvers], groups: [] },
      approvalsRequired: policy.approvalsRequired,
    },
  };
}

/** The rule that governs a request now, from its device snapshot and the current rules. */
export function ruleForRequest(policy: PolicySettings, r: Pick<OffboardRequest, 'targets'>): AppliedRule {
  const dp = directoryPolicyOf(policy);
  return ruleFor(r.targets[0]!.machine, dp.rules, dp.env);
}

export function storedRule(rule: AppliedRule): StoredRule {
  return { name: rule.name, summary: rule.summary, approvalsRequired: rule.approvalsRequired };
}

/** Every requester audience (environment and rules): who may type `offboard` at all. */
export function anyRequesters(policy: PolicySettings): Audience {
  const dp = directoryPolicyOf(policy);
  const all = [dp.env.requesters, ...(dp.rules?.rules ?? []).map((r) => r.requesters ?? dp.env.requesters)];
  return { users: all.flatMap((a) => a.users), groups: all.flatMap((a) => a.groups) };
}

/** Every approver audience (environment and rules). */
export function anyApprovers(policy: PolicySettings): Audience {
  const dp = directoryPolicyOf(policy);
  const all = [dp.env.approvers, ...(dp.rules?.rules ?? []).map((r) => r.approvers)];
  return { users: all.flatMap((a) => a.users), groups: all.flatMap((a) => a.groups) };
}

/**
 * The Roster `decide` and `approvalsHold` need, for exactly these people under `rule`.
 * `live` asks Graph now (approvals, the check before the POST).
 */
export async function rosterFor(
  policy: PolicySettings,
  rule: AppliedRule,
  people: { requesters: readonly string[]; approvers: readonly string[] },
  live: boolean,
): Promise<Roster> {
  const { directory } = directoryPolicyOf(policy);
  const found = await resolveRoster(directory, rule, people, { live });
  return { ...found, allowedTenantIds: policy.roster.allowedTenantIds };
}

/** The people whose standing a click on `r` depends on: requester, clicker, approvers so far. */
export function peopleOf(r: OffboardRequest, actorId?: string) {
  return {
    requesters: [r.requester.aadObjectId],
    approvers: [...(actorId ? [actorId] : []), ...r.approvals.map((a) => a.by.aadObjectId)],
  };
}

/** Does the roster answer for everyone this copy of the request involves? */
export function rosterCovers(people: { approvers: readonly string[] }, r: OffboardRequest): boolean {
  const asked = new Set(people.approvers.map((p) => p.toLowerCase()));
  return r.approvals.every((a) => asked.has(a.by.aadObjectId.toLowerCase()));
}

/**
 * May this viewer read the request (`status`, the card's refresh)? The read rule of
 * bot/request/policy.ts canRead (tenant, conversation, on a list), with group members
 * counted; cached answers will do for a read.
 */
export async function mayRead(
  policy: PolicySettings,
  r: OffboardRequest,
  viewer: { actorId: string | undefined; tenantId: string | undefined; conversationId: string },
): Promise<boolean> {
  const id = viewer.actorId?.toLowerCase();
  if (!id) return false;
  const anyone = { requesters: new Set([id]), approvers: new Set<string>() };
  if (!canRead(r, viewer, { ...anyone, allowedTenantIds: policy.roster.allowedTenantIds })) return false;
  return isOnAnyList(policy, id);
}

/** Is this person a requester or an approver under any rule (cached answers will do)? */
export async function isOnAnyList(policy: PolicySettings, id: string): Promise<boolean> {
  const { directory } = directoryPolicyOf(policy);
  return (
    (await directory.isMember(id, anyRequesters(policy), { live: false })) ||
    (await directory.isMember(id, anyApprovers(policy), { live: false }))
  );
}

/**
 * What a card shows about approvals, per request: the rule's approvers now and its
 * number. Rendering is synchronous, so group membership comes from the directory's
 * cache; an approval is shown as no longer counting only when it is known not to.
 * Structurally the cards' ApprovalView (cards/request-view.ts).
 */
export function cardPolicy(policy: PolicySettings) {
  const dp = directoryPolicyOf(policy);
  const forRequest = (r: OffboardRequest) => {
    const rule = ruleFor(r.targets[0]!.machine, dp.rules, dp.env);
    return {
      approvers: { has: (id: string) => dp.directory.cached(id, rule.approvers) !== false },
      approvalsRequired: rule.approvalsRequired,
    };
  };
  return {
    approvers: { has: (id: string) => dp.directory.cached(id, dp.env.approvers) !== false },
    approvalsRequired: dp.env.approvalsRequired,
    forRequest,
  };
}

/**
 * The two-person rule right before the Defender POST (bot/request/policy.ts
 * approvalsHold) under the request's rule now, every person asked live: never on a
 * cached answer. A GraphError propagates; the executor retries later.
 */
export async function holdsBeforePost(
  policy: PolicySettings,
  r: OffboardRequest,
): Promise<{ ok: true } | { ok: false; reason: Said }> {
  const rule = ruleForRequest(policy, r);
  if (!rule.allowed)
    return { ok: false, reason: { key: 'notice.error.ruleForbids', params: { rule: rule.name } } };
  const roster = await rosterFor(policy, rule, peopleOf(r), true).catch((e: unknown) => {
    throw isGraphError(e) ? new ApproverCheckUnavailable(e) : e;
  });
  return approvalsHold(r, roster, { approvalsRequired: rule.approvalsRequired, requestTtlMs: policy.ttlMs });
}

/**
 * For `help`: is this person a requester, an approver, and which rules would apply to
 * their requests or approvals (summaries, file order, then "Default"). Cached group
 * answers will do; when Graph cannot answer, the lists alone decide what help shows.
 */
export async function helpRoles(
  policy: PolicySettings,
  actorId: string,
): Promise<{ requester: boolean; approver: boolean; rules: string[] }> {
  const id = actorId.toLowerCase();
  const dp = directoryPolicyOf(policy);
  const member = (a: Audience) =>
    dp.directory.isMember(id, a, { live: false }).catch(() => dp.directory.cached(id, a) === true);
  const requester = await member(anyRequesters(policy));
  const approver = await member(anyApprovers(policy));
  const all = [
    ...(dp.rules?.rules ?? []).map((r) => applied(r, dp.env)),
    ruleFor({ computerDnsName: '', machineTags: [] }, undefined, dp.env),
  ];
  const rules: string[] = [];
  for (const rule of all) {
    const mine =
      !rule.allowed ||
      (requester && (await member(rule.requesters))) ||
      (approver && (await member(rule.approvers)));
    if (mine) rules.push(rule.summary);
  }
  return { requester, approver, rules };
}

/** May this person approve `r` under its rule now? Cached group answers (display, reminders). */
export async function mayApproveCached(
  policy: PolicySettings,
  r: OffboardRequest,
  id: string,
): Promise<boolean> {
  const rule = ruleForRequest(policy, r);
  const { directory } = directoryPolicyOf(policy);
  const lc = id.toLowerCase();
  return directory
    .isMember(lc, rule.approvers, { live: false })
    .catch(() => directory.cached(lc, rule.approvers) === true);
}

/** The conversation's people who may approve a request, as far as the directory can tell now. */
export interface ApproversAmong {
  /** Qualified, in the order of the rule's list: its users, then its groups' members group by group. */
  people: Person[];
  /** Their standing is unknown: a group of the rule could not be expanded now (Graph down). */
  unknown: Person[];
}

/**
 * Which of `roster` (the conversation's members) may approve `r` under its rule, in the
 * order of the rule's approvers list: listed users first, then the members of each group
 * in the rule's group order (Graph's transitiveMembers, cached for GROUP_CACHE_SECONDS).
 * For display only; a click is decided live.
 */
export async function approversAmong(
  policy: PolicySettings,
  r: OffboardRequest,
  roster: readonly Person[],
): Promise<ApproversAmong> {
  const rule = ruleForRequest(policy, r);
  if (!rule.allowed) return { people: [], unknown: [] };
  const { directory } = directoryPolicyOf(policy);
  const byId = new Map<string, Person>();
  for (const p of roster) {
    const id = p.aadObjectId.toLowerCase();
    if (id && !byId.has(id)) byId.set(id, { ...p, aadObjectId: id });
  }
  const approvers = normalAudience(rule.approvers);
  const order: string[] = [...approvers.users];
  const unexpanded: string[] = [];
  for (const g of approvers.groups) {
    try {
      order.push(...(await directory.members({ users: [], groups: [g] }, { live: false })));
    } catch (e) {
      if (!isGraphError(e)) throw e;
      unexpanded.push(g);
    }
  }
  const people: Person[] = [];
  for (const id of new Set(order)) {
    const p = byId.get(id);
    if (p) people.push(p);
  }
  const unknown: Person[] = [];
  if (unexpanded.length) {
    const taken = new Set(people.map((p) => p.aadObjectId));
    const rest = { users: [], groups: unexpanded };
    for (const p of byId.values())
      if (!taken.has(p.aadObjectId) && directory.cached(p.aadObjectId, rest) !== false)
        (directory.cached(p.aadObjectId, rest) ? people : unknown).push(p);
  }
  return { people, unknown };
}

/**
 * For the requester's view: the display names of who can still approve `r`, in the
 * order of its rule's list, without the requester and those who approved. Only people
 * of the conversation's roster are named (the ones who can open the card).
 */
export async function stillApproverNames(
  policy: PolicySettings,
  r: OffboardRequest,
  roster: readonly Person[],
): Promise<string[]> {
  const done = new Set(
    [r.requester.aadObjectId, ...r.approvals.map((a) => a.by.aadObjectId)].map((id) => id.toLowerCase()),
  );
  const { people } = await approversAmong(policy, r, roster);
  return people.filter((p) => !done.has(p.aadObjectId)).map((p) => p.name);
}
