import type { DefenderClient } from './client';
import { DefenderError, DefenderErrorCode, isDefenderError } from './errors';
import { actionIdSegment, InvalidInputError, machineIdSegment } from './odata';
import { commentBody, parseMachineAction } from './parse';
import type { QueueInfo } from './rate-limiter';
import { sendOnce, withRetries, type TransportDeps } from './transport';
import { isFinalStatus, type MachineAction } from './types';

/**
 * Offboarding is destructive and has no undo but re-onboarding (defender-api.md), so
 * the POST is made exactly once:
 * - before it, an Offboard already Pending/InProgress on the machine is returned instead
 *   ("before offboarding, look for a pending or in-progress Offboard action");
 * - after a 429 it is sent again (the service did nothing; retry-policy.ts);
 * - after a 5xx, a timeout or a dropped connection the outcome is unknown: we list the
 *   machine's Offboard actions and return the one our attempt created; only if there is
 *   none is it sent again (bounded by the policy); if we cannot look, we say so;
 * - a 400 ActiveRequestAlreadyExists means one is pending: we return that one. The
 *   service may also answer 200/201 with the existing action: `recovered` tells which.
 */
export interface OffboardOptions {
  onQueued?: (info: QueueInfo) => void;
  /** Skip the look-up before the POST (the caller has just done it). Default false. */
  skipPendingCheck?: boolean;
}

export interface OffboardResult {
  action: MachineAction;
  /** True when the action was not created by this call's POST (found pending, or found
   * after an unknown outcome). */
  recovered: boolean;
}

interface Ctx {
  deps: TransportDeps;
  url: (pathAndQuery: string) => URL;
  client: DefenderClient;
  clockSkewMs?: number;
}

const created = (a: MachineAction) => Date.parse(a.creationDateTimeUtc ?? '');
const isOthers = (a: MachineAction, ours: string) =>
  a.requestorComment !== undefined && a.requestorComment.trim() !== ours;
const active = (a: MachineAction) => a.status === 'Pending' || a.status === 'InProgress';

/** The newest Offboard on the machine that is active, or created at/after `since`. */
async function findOffboard(ctx: Ctx, machineId: string, since?: number): Promise<MachineAction | undefined> {
  const actions = await ctx.client.listMachineActions({ machineId, type: 'Offboard' });
  const ours = actions.filter(
    (a) => a.type.toLowerCase() === 'offboard' && (active(a) || (since !== undefined && created(a) >= since)),
  );
  return ours.sort((a, b) => (created(b) || 0) - (created(a) || 0))[0];
}

function comment(text: string) {
  const parsed = commentBody.safeParse({ Comment: text });
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

export async function offboardExactlyOnce(
  ctx: Ctx,
  machineId: string,
  text: string,
  opts: OffboardOptions = {},
): Promise<OffboardResult> {
  const { deps } = ctx;
  const url = ctx.url(`api/machines/${machineIdSegment(machineId)}/offboard`);
  const body = comment(text);

  const pending = opts.skipPendingCheck ? undefined : await findOffboard(ctx, machineId);
  if (pending) {
    deps.logger.info(
      { op: 'offboard', actionId: pending.id },
      'defender: offboard already pending; not sending',
    );
    return { action: pending, recovered: true };
  }

  const since = deps.clock.now() - (ctx.clockSkewMs ?? 5 * 60_000);
  const recover = async (): Promise<OffboardResult | undefined> => {
    const found = await findOffboard(ctx, machineId, since);
    if (found)
      deps.logger.info({ op: 'offboard', actionId: found.id }, 'defender: recovered the offboard action');
    return found && { action: found, recovered: true };
  };

  try {
    return await withRetries(deps, 'offboard', {
      onQueued: opts.onQueued,
      verify: recover,
      send: async (refresh) => {
        const res = await sendOnce(deps, { operation: 'offboard', method: 'POST', url, body }, refresh);
        const action = parseMachineAction(res.body);
        // "200 - Created" in the docs, 201 in real tenants: both are success.
        // When the service answers with the already-pending action instead of a 400, it
        // is older than our attempt or carries another request's comment.
        if (action) return { action, recovered: created(action) < since || isOthers(action, body.Comment) };
        // Accepted, but the answer is unreadable: find the action rather than POST again.
        const found = await recover();
        if (found) return found;
        throw new DefenderError({ kind: 'unknownOutcome', operation: 'offboard', status: res.status });
      },
    });
  } catch (e) {
    if (isDefenderError(e, DefenderErrorCode.ActionAlreadyInProgress)) {
      const found = await findOffboard(ctx, machineId);
      if (found) return { action: found, recovered: true };
    }
    throw e;
  }
}

/** Cancel: the same care. After an unknown outcome, read the action: if it is final
 * (cancelled, or finished meanwhile) there is nothing left to send. */
export async function cancelExactlyOnce(ctx: Ctx, actionId: string, text: string): Promise<MachineAction> {
  const { deps } = ctx;
  const url = ctx.url(`api/machineactions/${actionIdSegment(actionId)}/cancel`);
  const body = comment(text);
  const check = async () => {
    const action = await ctx.client.getMachineAction(actionId);
    return isFinalStatus(action.status) ? action : undefined;
  };
  return withRetries(deps, 'cancelAction', {
    verify: check,
    send: async (refresh) => {
      const res = await sendOnce(deps, { operation: 'cancelAction', method: 'POST', url, body }, refresh);
      return parseMachineAction(res.body) ?? (await ctx.client.getMachineAction(actionId));
    },
  });
}
