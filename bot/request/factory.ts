import type { Machine } from '../defender/types';
import type { BulkSelection, ConversationLink, OffboardRequest, Person } from './model';

/** What every new draft is made from besides its devices. */
export interface DraftInput {
  id: string;
  now: number;
  ttlMs: number;
  tenantId: string;
  requester: Person;
  conversation: ConversationLink;
  approvalsRequired: number;
  comment?: string;
}

/** A fresh draft request for one device. Pure: the id and time are passed in. */
export function newRequest(input: DraftInput & { machine: Machine }): OffboardRequest {
  const at = new Date(input.now).toISOString();
  const requester = { ...input.requester, aadObjectId: input.requester.aadObjectId.toLowerCase() };
  return {
    id: input.id,
    version: 0,
    tenantId: input.tenantId.toLowerCase(),
    state: 'draft',
    requester,
    comment: input.comment,
    approvalsRequired: input.approvalsRequired,
    approvals: [],
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(input.now + input.ttlMs).toISOString(),
    conversation: input.conversation,
    targets: [
      {
        machineId: input.machine.id,
        computerDnsName: input.machine.computerDnsName,
        machine: input.machine,
        execution: {},
      },
    ],
    history: [
      {
        at,
        event: 'created',
        actor: requester.aadObjectId,
        actorName: requester.name,
        conversationId: input.conversation.conversationId,
        detail: { machineId: input.machine.id, computerDnsName: input.machine.computerDnsName },
      },
    ],
  };
}

/**
 * A fresh draft for many devices (bulk commands). The targets are exactly `machines`,
 * snapshots as the requester saw them: approvals bind this set, so a device that
 * matches the selectors later is not included. Pure.
 */
export function newBulkRequest(
  input: DraftInput & { machines: readonly Machine[]; bulk: BulkSelection },
): OffboardRequest {
  const [first] = input.machines;
  if (!first) throw new Error('a bulk request needs at least one device');
  const base = newRequest({ ...input, machine: first });
  return {
    ...base,
    targets: input.machines.map((m) => ({
      machineId: m.id,
      computerDnsName: m.computerDnsName,
      machine: bulkSnapshot(m),
      execution: {},
    })),
    bulk: input.bulk,
    history: base.history.map((h) => ({
      ...h,
      detail: {
        targets: input.machines.length,
        selectors: input.bulk.selectors,
        refused: Object.values(input.bulk.refusedCounts).reduce((a, n) => a + (n ?? 0), 0),
      },
    })),
  };
}

/**
 * What a bulk target keeps of its device: what the bulk card shows (name, OS, group,
 * last seen), what rules match on (tags, group, platform) and what the platform check
 * reads. Risk, exposure, addresses and the Entra id stay in Defender: at 500 devices
 * this halves the stored request.
 */
export function bulkSnapshot(m: Machine): Machine {
  const keep: (keyof Machine)[] = [
    'id',
    'computerDnsName',
    'osPlatform',
    'version',
    'osBuild',
    'healthStatus',
    'onboardingStatus',
    'lastSeen',
    'machineTags',
    'rbacGroupName',
    'rbacGroupId',
    'agentVersion',
  ];
  const out: Partial<Record<keyof Machine, unknown>> = {};
  for (const k of keep) if (m[k] !== undefined) out[k] = m[k];
  return out as unknown as Machine;
}
