/**
 * Bulk `offboard` (issue #14): find exactly the devices a list or selectors name, check
 * each as `offboard <device>` does (bot/offboarding/open.ts), and store one draft
 * request whose targets are that set. Approvals bind the set: a device that matches
 * the selectors later is not added. Devices left out are kept, with their reason, for
 * the card. The caller posts the card, like openRequest.
 */
import type { Told } from '../i18n';
import {
  BULK_MAX_DEVICES,
  formatBulkCommand,
  formatSelectors,
  type MachineRef,
  type Selectors,
} from '../commands';
import { nameMatches } from '../defender/client';
import { findOffboard } from '../defender/offboard';
import type { Machine, MachineAction } from '../defender/types';
import { newBulkRequest } from '../request/factory';
import type { BulkRefusal, ConversationLink, OffboardRequest, Person } from '../request/model';
import { DeviceBusyError } from '../store/types';
import { checkRule, requesterRefusal } from './open';
import { checkPlatform } from './platform';
import type { OffboardingDeps, ReadOptions } from './ports';
import { ruleForRequest, storedRule } from './rules';
import { matchesSelectors, Refusals, selectorQuery } from './selection';

/** BULK_CONFIRM_OVER's default: a selector alone matching more asks the requester first. */
export const DEFAULT_CONFIRM_OVER = 20;

/** Names or ids per Defender read when resolving a list (an `or` of clauses stays short). */
const REFS_PER_READ = 20;

export interface BulkOpenInput {
  actor: Person;
  tenantId: string | undefined;
  conversation: ConversationLink;
  devices: readonly MachineRef[];
  selectors: Selectors;
  comment?: string;
  /** The requester confirmed the count (the confirm button): no question this time. */
  confirmed?: boolean;
  onQueued?: ReadOptions['onQueued'];
}

export type BulkRefused = { name: string; reason: BulkRefusal };

export type BulkOpenOutcome =
  | ({ kind: 'refused' } & Told)
  /** Selectors alone match `count` devices (> confirmOver): ask the requester; `command` re-parses to the same. */
  | { kind: 'confirm'; count: number; command: string }
  | { kind: 'too_many'; count: number; limit: number }
  /** The devices fall under different POLICY_FILE rules: one request per rule. */
  | { kind: 'mixed_rules'; rules: { name: string; count: number }[] }
  /** No device is left to offboard; `refused` says why (first ones by name, counts for all). */
  | {
      kind: 'none';
      matched: number;
      refused: BulkRefused[];
      refusedCounts: Partial<Record<BulkRefusal, number>>;
    }
  | { kind: 'busy'; machine: string; requestId?: string }
  | { kind: 'created'; request: OffboardRequest };

export async function openBulkRequest(deps: OffboardingDeps, input: BulkOpenInput): Promise<BulkOpenOutcome> {
  const refused = await requesterRefusal(deps, input.actor, input.tenantId);
  if (refused) return { kind: 'refused', ...refused };
  const limits = { confirmOver: DEFAULT_CONFIRM_OVER, maxDevices: BULK_MAX_DEVICES, ...deps.policy.bulk };
  const read = { onQueued: input.onQueued };
  const now = deps.clock.now();
  const refusals = new Refusals();

  // 1. Candidates: the listed devices (narrowed by the selectors), or Defender's answer.
  let candidates: Machine[];
  if (input.devices.length) {
    candidates = [];
    for (const r of await resolveList(deps, input.devices, read)) {
      if (r.kind !== 'one') refusals.add(r.query, r.kind);
      else if (!matchesSelectors(r.machine, input.selectors, now))
        refusals.add(r.machine.computerDnsName, 'not_selected');
      else candidates.push(r.machine);
    }
  } else {
    if (!deps.defender.listMachines) throw new Error('this Defender client cannot list devices');
    const found = await deps.defender.listMachines(selectorQuery(input.selectors, now), read);
    candidates = found.filter((m) => matchesSelectors(m, input.selectors, now));
    const narrowed = input.selectors.inactiveDays !== undefined;
    if (!narrowed && !input.confirmed && candidates.length > limits.confirmOver)
      return {
        kind: 'confirm',
        count: candidates.length,
        command: formatBulkCommand({
          kind: 'offboard_bulk',
          devices: [],
          selectors: input.selectors,
          comment: input.comment,
        }),
      };
  }
  candidates = uniqueById(candidates);

  // 2. Each device as a single one is checked: platform, rule, open request, pending offboard.
  const supported = candidates.filter((m) => {
    const ok = checkPlatform(m).ok;
    if (!ok) refusals.add(m.computerDnsName, 'unsupported_os');
    return ok;
  });
  const byRule = new Map<string, Machine[]>();
  for (const m of supported) {
    const rule = ruleForRequest(deps.policy, { targets: [target(m)] });
    if (!rule.allowed) refusals.add(m.computerDnsName, 'not_allowed');
    else byRule.set(rule.name, [...(byRule.get(rule.name) ?? []), m]);
  }
  if (byRule.size > 1)
    return { kind: 'mixed_rules', rules: [...byRule].map(([name, ms]) => ({ name, count: ms.length })) };
  const ruled = [...byRule.values()][0] ?? [];
  const free: Machine[] = [];
  for (const m of ruled) {
    if ((await deps.store.listActiveForMachine(m.id)).length) refusals.add(m.computerDnsName, 'open_request');
    else free.push(m);
  }
  const pending = await pendingOffboards(deps, free, read);
  const chosen = free.filter((m) => {
    if (!pending.has(m.id)) return true;
    refusals.add(m.computerDnsName, 'pending_already');
    return false;
  });

  if (chosen.length > limits.maxDevices)
    return { kind: 'too_many', count: chosen.length, limit: limits.maxDevices };
  if (!chosen.length) {
    const s = refusals.selection('', 0);
    return { kind: 'none', matched: candidates.length, refused: s.refused, refusedCounts: s.refusedCounts };
  }
  // The rule's requester and approver checks, once: every device shares the rule.
  const checked = await checkRule(deps, chosen[0]!, input.actor.aadObjectId.toLowerCase());
  if (!checked.ok) return { kind: 'refused', ...checked.refusal };

  const request = newBulkRequest({
    id: deps.newId(),
    now,
    ttlMs: deps.policy.draftTtlMs,
    tenantId: input.tenantId!,
    requester: input.actor,
    conversation: input.conversation,
    machines: chosen,
    bulk: refusals.selection(formatSelectors(input.selectors), input.devices.length),
    approvalsRequired: checked.rule.approvalsRequired,
    comment: input.comment,
  });
  try {
    const stored = await deps.store.create({ ...request, rule: storedRule(checked.rule) });
    deps.logger.info({ requestId: stored.id, targets: chosen.length }, 'bulk offboarding request opened');
    return { kind: 'created', request: stored };
  } catch (e) {
    // Another request took one of the devices meanwhile: nothing is stored; say which.
    if (!(e instanceof DeviceBusyError)) throw e;
    const m = chosen.find((c) => c.id === e.machineId.toLowerCase());
    return { kind: 'busy', machine: m?.computerDnsName ?? e.machineId, requestId: e.activeRequestId };
  }
}

type Resolved = { kind: 'one'; machine: Machine } | { kind: 'not_found' | 'ambiguous'; query: string };

/** Each listed device exactly as `offboard <device>` finds it, REFS_PER_READ per Defender read. */
async function resolveList(
  deps: OffboardingDeps,
  refs: readonly MachineRef[],
  read: ReadOptions,
): Promise<Resolved[]> {
  const list = deps.defender.listMachines?.bind(deps.defender);
  const found = new Map<MachineRef, Machine[]>();
  if (!list) {
    // A port without list queries (older fakes): one look-up per device.
    for (const r of refs) {
      if (r.by === 'id') {
        const m = await deps.defender.getMachine(r.id, read);
        found.set(r, m ? [m] : []);
      } else found.set(r, await deps.defender.findMachinesByName(r.name, read));
    }
  } else {
    const ids = refs.filter((r) => r.by === 'id');
    const names = refs.filter((r): r is Extract<MachineRef, { by: 'name' }> => r.by === 'name');
    for (let i = 0; i < ids.length; i += REFS_PER_READ) {
      const chunk = ids.slice(i, i + REFS_PER_READ).map((r) => (r.by === 'id' ? r.id : ''));
      const ms = await list({ ids: chunk }, read);
      for (const r of ids.slice(i, i + REFS_PER_READ))
        found.set(
          r,
          ms.filter((m) => r.by === 'id' && m.id.toLowerCase() === r.id),
        );
    }
    for (let i = 0; i < names.length; i += REFS_PER_READ) {
      const chunk = names.slice(i, i + REFS_PER_READ);
      const ms = await list({ names: chunk.map((r) => r.name) }, read);
      for (const r of chunk)
        found.set(
          r,
          ms.filter((m) => nameMatches(m, r.name)),
        );
    }
  }
  return refs.map((r) => {
    const ms = found.get(r) ?? [];
    const query = r.by === 'id' ? r.id : r.name;
    if (ms.length === 1) return { kind: 'one', machine: ms[0]! };
    return { kind: ms.length ? 'ambiguous' : 'not_found', query };
  });
}

/** Ids of devices with an Offboard still Pending or InProgress at Defender. */
async function pendingOffboards(
  deps: OffboardingDeps,
  ms: readonly Machine[],
  read: ReadOptions,
): Promise<Set<string>> {
  if (!ms.length) return new Set();
  if (deps.defender.listActiveOffboards) {
    const actions: MachineAction[] = await deps.defender.listActiveOffboards(read);
    return new Set(actions.filter((a) => findOffboard([a])).map((a) => (a.machineId ?? '').toLowerCase()));
  }
  const ids = new Set<string>();
  for (const m of ms)
    if (findOffboard(await deps.defender.listMachineActions({ machineId: m.id, type: 'Offboard' }, read)))
      ids.add(m.id);
  return ids;
}

function uniqueById(ms: readonly Machine[]): Machine[] {
  const seen = new Set<string>();
  return ms.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

const target = (m: Machine) => ({
  machineId: m.id,
  computerDnsName: m.computerDnsName,
  machine: m,
  execution: {},
});
