/**
 * `cancel <request id>`. Before execution it is the card's Cancel (requester only,
 * through the policy). After execution, while the Defender action is still Pending
 * (the device has not picked it up), the requester or one of the rule's approvers may
 * cancel it at Defender (`POST /api/machineactions/{id}/cancel`); the tracker then sees
 * it Cancelled. Only in the request's own conversation and tenant, like a click.
 */
import { toldOf, withEnglish, type MessageKey, type SaidParams, type Told } from '../i18n';
import type { OffboardRequest, Person } from '../request/model';
import { sameConversation, stateWord } from '../request/policy';
import { actOnRequest } from './act';
import { applyChange } from './compare-and-set';
import type { OffboardingDeps } from './ports';
import { peopleOf, rosterFor, ruleForRequest } from './rules';
import { cancelUnsent, isUnsent } from '../request/transitions';
import { isBulk } from '../request/bulk-progress';

export interface CancelInput {
  requestId: string;
  actor: Person;
  tenantId: string | undefined;
  conversationId: string;
}

export type CancelOutcome =
  | { kind: 'unknown' }
  | ({ kind: 'refused' } & Told)
  /** Cancelled before execution (state `cancelled`). */
  | { kind: 'cancelled'; request: OffboardRequest }
  /** The Pending Defender action was cancelled; the request follows as it finishes. */
  | { kind: 'defender_cancelled'; request: OffboardRequest; actionId: string }
  /**
   * A bulk request after approval: `stopped` devices not yet sent are cancelled (never
   * sent); `sent` were already with Defender and follow their course.
   */
  | { kind: 'bulk_stopped'; request: OffboardRequest; stopped: number; sent: number };

export async function cancelRequest(deps: OffboardingDeps, input: CancelInput): Promise<CancelOutcome> {
  const r = await deps.store.get(input.requestId);
  const tenant = input.tenantId?.toLowerCase();
  if (
    !r ||
    !tenant ||
    tenant !== r.tenantId ||
    !deps.policy.roster.allowedTenantIds.has(tenant) ||
    !sameConversation(r.conversation.conversationId, input.conversationId)
  )
    return { kind: 'unknown' };
  if (r.state === 'draft' || r.state === 'awaiting_approval') {
    const outcome = await actOnRequest(deps, { ...input, action: { kind: 'cancel' } });
    if (outcome.ok) return { kind: 'cancelled', request: outcome.request };
    return outcome.code === 'unknown_request' ? { kind: 'unknown' } : { kind: 'refused', ...toldOf(outcome) };
  }
  if (isBulk(r) && (r.state === 'executing' || r.state === 'tracking')) return stopUnsent(deps, r, input);
  if (r.state !== 'tracking')
    return r.state === 'executing'
      ? refused('errors.cancelSending', { id: r.id })
      : refused('errors.cancelNothing', { id: r.id, state: stateWord(r.state) });
  return cancelAtDefender(deps, r, input);
}

/**
 * After approval, the requester (still a requester under the rule) or an approver may
 * stop what is left. Asked live: it is as consequential as approving.
 */
async function mayStopAfterApproval(
  deps: OffboardingDeps,
  r: OffboardRequest,
  actor: string,
): Promise<boolean> {
  const rule = ruleForRequest(deps.policy, r);
  const roster = await rosterFor(deps.policy, rule, { ...peopleOf(r), approvers: [actor] }, true);
  return (actor === r.requester.aadObjectId && roster.requesters.has(actor)) || roster.approvers.has(actor);
}

async function cancelAtDefender(
  deps: OffboardingDeps,
  r: OffboardRequest,
  input: CancelInput,
): Promise<CancelOutcome> {
  const actor = input.actor.aadObjectId.toLowerCase();
  if (!(await mayStopAfterApproval(deps, r, actor)))
    return refused('errors.cancelNotAllowed', { name: r.requester.name, id: r.id });
  const cancel = deps.defender.cancelMachineAction;
  const target = r.targets.find((t) => t.execution.actionId);
  const actionId = target?.execution.actionId;
  if (!cancel || !actionId) return refused('errors.cancelNoAction', { id: r.id });
  // Defender's own status, not our last look: only a Pending action can still be cancelled.
  const action = await deps.defender.getMachineAction(actionId);
  if (action.status !== 'Pending')
    return refused('errors.cancelPickedUp', { id: r.id, status: action.status });
  const who = input.actor.upn ? `${input.actor.name} (${input.actor.upn})` : input.actor.name;
  await cancel.call(deps.defender, actionId, `Cancelled from Teams by ${who}, request ${r.id}`);
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const by = { ...input.actor, aadObjectId: actor };
  const saved = await applyChange(deps.store, r.id, (cur) =>
    cur.defenderCancellation
      ? undefined
      : {
          ...cur,
          updatedAt: at,
          defenderCancellation: { by, at, actionId },
          history: [
            ...cur.history,
            {
              at,
              event: 'defender_cancel_sent',
              actor,
              actorName: input.actor.name,
              conversationId: input.conversationId,
              detail: { actionId },
            },
          ],
        },
  );
  deps.logger.info({ requestId: r.id, actionId }, 'Defender action cancelled from chat');
  return { kind: 'defender_cancelled', request: saved ?? r, actionId };
}

/**
 * A bulk request after approval: the devices not sent yet are marked cancelled in one
 * write (the executor checks before each POST, so they are never sent); those already
 * sent are reported as such. The same people as a cancel at Defender may do it.
 */
async function stopUnsent(
  deps: OffboardingDeps,
  r: OffboardRequest,
  input: CancelInput,
): Promise<CancelOutcome> {
  const actor = input.actor.aadObjectId.toLowerCase();
  if (!(await mayStopAfterApproval(deps, r, actor)))
    return refused('errors.bulkStopNotAllowed', { name: r.requester.name, id: r.id });
  const now = deps.clock.now();
  const by = { ...input.actor, aadObjectId: actor };
  let stopped = 0;
  const saved = await applyChange(deps.store, r.id, (cur) => {
    stopped = cur.state === 'executing' ? cur.targets.filter((t) => isUnsent(t.execution)).length : 0;
    return stopped ? cancelUnsent(cur, now, by, input.conversationId) : undefined;
  });
  const request = saved ?? r;
  const sent = request.targets.filter((t) => t.execution.actionId).length;
  deps.logger.info({ requestId: r.id, stopped, sent }, 'bulk request stopped from chat');
  return { kind: 'bulk_stopped', request, stopped, sent };
}

const refused = (key: MessageKey, params: SaidParams): CancelOutcome => ({
  kind: 'refused',
  ...withEnglish({ key, params }),
});
