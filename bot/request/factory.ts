import type { Machine } from '../defender/types';
import type { ConversationLink, OffboardRequest, Person } from './model';

/** A fresh draft request for one device. Pure: the id and time are passed in. */
export function newRequest(input: {
  id: string;
  now: number;
  ttlMs: number;
  tenantId: string;
  requester: Person;
  conversation: ConversationLink;
  machine: Machine;
  approvalsRequired: number;
  comment?: string;
}): OffboardRequest {
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
