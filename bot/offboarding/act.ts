import type { OffboardRequest, Person } from '../request/model';
import { decide, expireIfDue, type UserAction } from '../request/policy';
import { REQUEST_ID_PATTERN } from '../commands';
import { StoreConflictError } from '../store/types';
import type { OffboardingDeps } from './ports';

/**
 * A card click: load the request, expire it if due, apply the policy and write with
 * compare-and-set. On a conflict the click is re-decided against the fresh copy, so
 * two approvals at the same instant are both counted (or one is refused) and only
 * the write that moves the request to `executing` starts the Defender call.
 */
export interface ActInput {
  requestId: unknown;
  action: UserAction;
  actor: Person;
  tenantId: string | undefined;
  conversationId: string;
}

export type ActOutcome =
  | { ok: true; request: OffboardRequest; notice: string; execute: boolean }
  | { ok: false; message: string; code: string; request?: OffboardRequest };

export async function actOnRequest(deps: OffboardingDeps, input: ActInput): Promise<ActOutcome> {
  if (typeof input.requestId !== 'string' || !REQUEST_ID_PATTERN.test(input.requestId))
    return { ok: false, code: 'unknown_request', message: 'This card does not belong to a known request.' };
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await deps.store.get(input.requestId);
    // Same answer for "unknown" and "elsewhere": a forged id learns nothing.
    if (!current || !sameConversation(current.conversation.conversationId, input.conversationId))
      return { ok: false, code: 'unknown_request', message: 'This card does not belong to a known request.' };

    const now = deps.clock.now();
    const expired = expireIfDue(current, now);
    if (expired) {
      const saved = await tryUpdate(deps, expired);
      if (!saved) continue;
      return { ok: false, code: 'expired', message: `Request ${saved.id} has expired.`, request: saved };
    }
    const decision = decide(current, input.action, {
      actor: input.actor,
      tenantId: input.tenantId,
      conversationId: input.conversationId,
      now,
      roster: deps.policy.roster,
    });
    if (!decision.ok) {
      deps.logger.info(
        {
          requestId: current.id,
          code: decision.code,
          actor: input.actor.aadObjectId,
          action: input.action.kind,
        },
        'card action refused',
      );
      return { ok: false, code: decision.code, message: decision.message };
    }
    const saved = await tryUpdate(deps, decision.request);
    if (!saved) continue;
    deps.logger.info(
      { requestId: saved.id, state: saved.state, action: input.action.kind },
      'request changed',
    );
    return { ok: true, request: saved, notice: decision.notice, execute: decision.execute };
  }
  return { ok: false, code: 'busy', message: 'Many people are clicking at once; please try again.' };
}

async function tryUpdate(deps: OffboardingDeps, next: OffboardRequest): Promise<OffboardRequest | undefined> {
  try {
    return await deps.store.update(next);
  } catch (e) {
    if (e instanceof StoreConflictError) return undefined;
    throw e;
  }
}

/** Channel thread ids carry `;messageid=…`; the channel itself is what must match. */
export function sameConversation(a: string, b: string): boolean {
  const base = (id: string) => id.split(';messageid=')[0]!.toLowerCase();
  return base(a) === base(b);
}
