/**
 * A card click: load the request, expire it if due, apply the policy and write with
 * compare-and-set. On a conflict the click is re-decided against the fresh copy, so
 * two approvals at the same instant are both counted (or one is refused) and only
 * the write that moves the request to `executing` starts the Defender call.
 */
import { said, toldOf, withEnglish, type Told } from '../i18n';
import type { OffboardRequest, Person } from '../request/model';
import { decide, expireIfDue, sameConversation, type UserAction } from '../request/policy';
import { REQUEST_ID_PATTERN } from '../commands';
import { AppError } from '../app-error';
import { compareAndSet, type CasOutcome } from './compare-and-set';
import { peopleOf, rosterCovers, rosterFor, ruleForRequest } from './rules';
import type { OffboardingDeps } from './ports';

export interface ActInput {
  requestId: unknown;
  action: UserAction;
  actor: Person;
  tenantId: string | undefined;
  conversationId: string;
}

export type ActOutcome =
  | { ok: true; request: OffboardRequest; notice: string; execute: boolean }
  | ({ ok: false; code: string; request?: OffboardRequest } & Told);

type Step =
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | ({ kind: 'refused'; code: string } & Told)
  | { kind: 'decided'; notice: string; execute: boolean }
  /** Approvals arrived from people the roster was not resolved for: resolve again. */
  | { kind: 'again' };

const UNKNOWN: ActOutcome = { ok: false, code: 'unknown_request', ...withEnglish(said('chat.unknownCard')) };

export async function actOnRequest(deps: OffboardingDeps, input: ActInput): Promise<ActOutcome> {
  if (typeof input.requestId !== 'string' || !REQUEST_ID_PATTERN.test(input.requestId)) return UNKNOWN;
  const id = input.requestId;
  const kind = input.action.kind;
  // Who qualifies is asked of the directory before the compare-and-set (the plan must be
  // pure); if approvals arrived meanwhile from people not asked about, ask again.
  for (let round = 0; round < 4; round++) {
    const seen = await deps.store.get(id);
    // Same answer for "unknown" and "elsewhere": a forged id learns nothing.
    if (!seen || !sameConversation(seen.conversation.conversationId, input.conversationId)) return UNKNOWN;
    const rule = ruleForRequest(deps.policy, seen);
    const people = peopleOf(seen, input.actor.aadObjectId);
    // The approval that could decide asks Graph live; a cancel needs nobody's standing.
    const roster =
      kind === 'cancel'
        ? {
            requesters: new Set<string>(),
            approvers: new Set<string>(),
            allowedTenantIds: deps.policy.roster.allowedTenantIds,
          }
        : await rosterFor(deps.policy, rule, people, kind === 'approve');
    const outcome = await compareAndSet<Step>(deps.store, id, (current) => {
      if (!sameConversation(current.conversation.conversationId, input.conversationId))
        return { result: { kind: 'unknown' } };
      const now = deps.clock.now();
      const expired = expireIfDue(current, now);
      if (expired) return { next: expired, result: { kind: 'expired' } };
      if (!rosterCovers(people, current)) return { result: { kind: 'again' } };
      if (!rule.allowed && (kind === 'approve' || kind === 'submit'))
        return {
          result: {
            kind: 'refused',
            code: 'rule_forbids',
            ...withEnglish(said('errors.ruleForbids', { rule: rule.name })),
          },
        };
      const decision = decide(current, input.action, {
        actor: input.actor,
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        now,
        roster,
        current: { approvalsRequired: rule.approvalsRequired, requestTtlMs: deps.policy.ttlMs },
      });
      if (!decision.ok) return { result: { kind: 'refused', code: decision.code, ...toldOf(decision) } };
      return {
        next: decision.request,
        result: { kind: 'decided', notice: decision.notice, execute: decision.execute },
      };
    });
    if (outcome.found && outcome.result.kind === 'again') continue;
    return answer(deps, input, outcome);
  }
  throw new AppError('busy', { key: 'errors.busy' });
}

function answer(deps: OffboardingDeps, input: ActInput, outcome: CasOutcome<Step>): ActOutcome {
  if (!outcome.found) return UNKNOWN;
  const { request, result } = outcome;
  switch (result.kind) {
    case 'unknown':
    case 'again':
      return UNKNOWN;
    case 'expired':
      return {
        ok: false,
        code: 'expired',
        ...withEnglish(said('errors.expired', { id: request.id })),
        request,
      };
    case 'refused':
      deps.logger.info(
        {
          requestId: request.id,
          code: result.code,
          actor: input.actor.aadObjectId,
          action: input.action.kind,
        },
        'card action refused',
      );
      return { ok: false, code: result.code, ...toldOf(result) };
    case 'decided':
      deps.logger.info(
        { requestId: request.id, state: request.state, action: input.action.kind },
        'request changed',
      );
      return { ok: true, request, notice: result.notice, execute: result.execute };
  }
}
