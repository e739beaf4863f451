/**
 * `offboard <machine>`: find exactly that device, check it can and should be
 * offboarded, and store a draft request. The caller posts the card and then calls
 * `attachCard`. Storing first means a crash before the card is posted loses nothing:
 * resume() re-posts cards of drafts that have none.
 */
import { said, toldOf, withEnglish, type Said, type Told } from '../i18n';
import { newRequest } from '../request/factory';
import type { ConversationLink, OffboardRequest, Person } from '../request/model';
import { canOpen } from '../request/policy';
import type { Machine, MachineAction } from '../defender/types';
import { findOffboard } from '../defender/offboard';
import type { MachineRef } from '../commands';
import { checkPlatform } from './platform';
import { DeviceBusyError } from '../store/types';
import { reachable, type AppliedRule } from '../policy-file';
import { anyRequesters, directoryPolicyOf, ruleForRequest, storedRule } from './rules';
import type { OffboardingDeps, ReadOptions } from './ports';

export type OpenOutcome =
  | ({ kind: 'refused' } & Told)
  | { kind: 'not_found'; query: string; suggestions: Machine[] }
  | { kind: 'ambiguous'; query: string; machines: Machine[] }
  | { kind: 'unsupported'; machine: Machine; reason: Said }
  | { kind: 'already_pending'; machine: Machine; action: MachineAction }
  | { kind: 'already_requested'; machine: Machine; request: OffboardRequest }
  | { kind: 'created'; request: OffboardRequest };

export interface OpenInput {
  actor: Person;
  tenantId: string | undefined;
  conversation: ConversationLink;
  machine: MachineRef;
  comment?: string;
  /** Called when a Defender look-up has to wait for the rate limit (bot/teams/handlers.ts says so in the thread). */
  onQueued?: ReadOptions['onQueued'];
}

export async function openRequest(deps: OffboardingDeps, input: OpenInput): Promise<OpenOutcome> {
  const actorId = input.actor.aadObjectId.toLowerCase();
  const refused = await requesterRefusal(deps, input.actor, input.tenantId);
  if (refused) return { kind: 'refused', ...refused };

  const read = { onQueued: input.onQueued };
  const found = await resolve(deps, input.machine, read);
  if (found.kind !== 'one') return found.outcome;
  const machine = found.machine;

  const platform = checkPlatform(machine);
  if (!platform.ok) return { kind: 'unsupported', machine, reason: platform.reason };

  const ruled = await checkRule(deps, machine, actorId);
  if (!ruled.ok) return { kind: 'refused', ...ruled.refusal };
  const { rule } = ruled;

  const active = await deps.store.listActiveForMachine(machine.id);
  if (active[0]) return { kind: 'already_requested', machine, request: active[0] };

  const pending = findOffboard(
    await deps.defender.listMachineActions({ machineId: machine.id, type: 'Offboard' }, read),
  );
  if (pending) return { kind: 'already_pending', machine, action: pending };

  const request = newRequest({
    id: deps.newId(),
    now: deps.clock.now(),
    ttlMs: deps.policy.draftTtlMs,
    tenantId: input.tenantId!,
    requester: input.actor,
    conversation: input.conversation,
    machine,
    approvalsRequired: rule.approvalsRequired,
    comment: input.comment,
  });
  let stored: OffboardRequest;
  try {
    stored = await deps.store.create({ ...request, rule: storedRule(rule) });
  } catch (e) {
    // Two `offboard` commands for one device at the same instant: the store keeps
    // one active request per device, and the second person is pointed to the first.
    if (!(e instanceof DeviceBusyError)) throw e;
    const first = (await deps.store.listActiveForMachine(machine.id))[0];
    if (!first) throw e;
    return { kind: 'already_requested', machine, request: first };
  }
  deps.logger.info({ requestId: stored.id, machineId: machine.id }, 'offboarding request opened');
  return { kind: 'created', request: stored };
}

/**
 * Before any Defender look-up: the tenant, then a requester under some rule (a cached
 * group answer will do here; the device's own rule is checked live after). The refusal
 * message, or undefined.
 */
export async function requesterRefusal(
  deps: OffboardingDeps,
  actor: Person,
  tenantId: string | undefined,
): Promise<Told | undefined> {
  const actorId = actor.aadObjectId.toLowerCase();
  const { roster } = deps.policy;
  const tenantOnly = canOpen(actor, tenantId, { ...roster, requesters: new Set([actorId]) });
  if (tenantOnly) return toldOf(tenantOnly);
  const { directory } = directoryPolicyOf(deps.policy);
  const member = await directory.isMember(actorId, anyRequesters(deps.policy), { live: false });
  const refusal = canOpen(actor, tenantId, { ...roster, requesters: new Set(member ? [actorId] : []) });
  return refusal ? toldOf(refusal) : undefined;
}

/**
 * The device's rule: allowed from chat, the actor one of its requesters (asked live),
 * and enough other approvers to ever reach its number (groups expanded when needed).
 */
export async function checkRule(
  deps: OffboardingDeps,
  machine: Machine,
  actorId: string,
): Promise<{ ok: true; rule: AppliedRule } | { ok: false; refusal: Told }> {
  const rule = ruleForRequest(deps.policy, {
    targets: [{ machineId: machine.id, computerDnsName: machine.computerDnsName, machine, execution: {} }],
  });
  const { directory } = directoryPolicyOf(deps.policy);
  if (!rule.allowed)
    return { ok: false, refusal: withEnglish(said('errors.ruleForbids', { rule: rule.name })) };
  if (!(await directory.isMember(actorId, rule.requesters, { live: true })))
    return { ok: false, refusal: withEnglish(said('errors.ruleNotRequester', { rule: rule.name })) };
  let reach = reachable(rule, actorId);
  if (reach.ok === 'needsGroups') {
    const members = new Map<string, Iterable<string>>();
    for (const g of reach.groups)
      members.set(g, await directory.members({ users: [], groups: [g] }, { live: true }));
    reach = reachable(rule, actorId, members);
  }
  if (reach.ok === true) return { ok: true, rule };
  if (reach.ok === false) return { ok: false, refusal: toldOf(reach) };
  return { ok: false, refusal: withEnglish(said('errors.ruleUnchecked', { rule: rule.name })) };
}

type Resolution = { kind: 'one'; machine: Machine } | { kind: 'other'; outcome: OpenOutcome };

async function resolve(deps: OffboardingDeps, ref: MachineRef, read: ReadOptions): Promise<Resolution> {
  if (ref.by === 'id') {
    const m = await deps.defender.getMachine(ref.id, read);
    return m
      ? { kind: 'one', machine: m }
      : { kind: 'other', outcome: { kind: 'not_found', query: ref.id, suggestions: [] } };
  }
  const matches = await deps.defender.findMachinesByName(ref.name, read);
  if (matches.length === 1) return { kind: 'one', machine: matches[0]! };
  if (matches.length > 1)
    return { kind: 'other', outcome: { kind: 'ambiguous', query: ref.name, machines: matches } };
  // No exact match: offer up to five names that start the same way, never a guess.
  const prefix = ref.name.split('.')[0]!.slice(0, Math.max(3, Math.ceil(ref.name.split('.')[0]!.length / 2)));
  const suggestions = await deps.defender.searchMachinesByPrefix(prefix, 5).catch(() => []);
  return {
    kind: 'other',
    outcome: { kind: 'not_found', query: ref.name, suggestions: suggestions.slice(0, 5) },
  };
}
