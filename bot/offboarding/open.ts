/**
 * `offboard <machine>`: find exactly that device, check it can and should be
 * offboarded, and store a draft request. The caller posts the card and then calls
 * `attachCard`. Storing first means a crash before the card is posted loses nothing:
 * resume() re-posts cards of drafts that have none.
 */
import { newRequest } from '../request/factory';
import type { ConversationLink, OffboardRequest, Person } from '../request/model';
import { canOpen } from '../request/policy';
import type { Machine, MachineAction } from '../defender/types';
import { findOffboard } from '../defender/offboard';
import type { MachineRef } from '../commands';
import { checkPlatform } from './platform';
import { DeviceBusyError } from '../store/types';
import type { OffboardingDeps, ReadOptions } from './ports';

export type OpenOutcome =
  | { kind: 'refused'; message: string }
  | { kind: 'not_found'; query: string; suggestions: Machine[] }
  | { kind: 'ambiguous'; query: string; machines: Machine[] }
  | { kind: 'unsupported'; machine: Machine; reason: string }
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
  const refusal = canOpen(input.actor, input.tenantId, deps.policy.roster);
  if (refusal && !refusal.ok) return { kind: 'refused', message: refusal.message };

  const read = { onQueued: input.onQueued };
  const found = await resolve(deps, input.machine, read);
  if (found.kind !== 'one') return found.outcome;
  const machine = found.machine;

  const platform = checkPlatform(machine);
  if (!platform.ok) return { kind: 'unsupported', machine, reason: platform.reason };

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
    approvalsRequired: deps.policy.approvalsRequired,
    comment: input.comment,
  });
  let stored: OffboardRequest;
  try {
    stored = await deps.store.create(request);
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
