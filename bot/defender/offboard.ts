/**
 * The one owner of "find or POST the offboard": the predicate for "an offboard
 * already on this device", the clock-skew allowance, and the only code that sends
 * the POST. Offboarding has no undo, so the POST is sent at most once per request
 * (docs/architecture.md, "Exactly once"; docs/defender-api.md, "Duplicate requests").
 */
import { DefenderError, DefenderErrorCode, isDefenderError } from './defender-error';
import { actionIdSegment, InvalidInputError, machineIdSegment } from './odata';
import { commentBody, parseMachineAction } from './parse';
import type { QueueInfo } from './rate-limiter';
import { sendOnce, withRetries, type TransportDeps } from './transport';
import { isFinalStatus, type MachineAction } from './types';

/** Defender and our clock may disagree a little about when an action was created. */
export const OFFBOARD_CLOCK_SKEW_MS = 5 * 60_000;

export interface OffboardOptions {
  onQueued?: (info: QueueInfo) => void;
  /**
   * When the caller's execution started (stored before any POST). An Offboard
   * created at or after it (less the skew) is taken as ours: one a crashed earlier
   * run sent before it could record the answer.
   */
  startedAt?: number;
  /** The caller has just listed the device's actions itself. Default false. */
  skipPendingCheck?: boolean;
  /** Awaited after the pre-check, right before each POST; a throw sends nothing (the
   * executor confirms it still holds the request's lease: docs/architecture.md, "Exactly once"). */
  beforePost?: () => Promise<void>;
}

export interface OffboardResult {
  action: MachineAction;
  /** True when the action was not created by this call's POST (found pending, or found
   * after an unknown outcome). */
  recovered: boolean;
}

/** What the offboard needs from the rest of the client. */
export interface OffboardCtx {
  deps: TransportDeps;
  url: (pathAndQuery: string) => URL;
  listOffboards(machineId: string): Promise<MachineAction[]>;
  getAction(id: string): Promise<MachineAction>;
}

const created = (a: MachineAction) => Date.parse(a.creationDateTimeUtc ?? '');
const isOthers = (a: MachineAction, ours: string) =>
  a.requestorComment !== undefined && a.requestorComment.trim() !== ours;
export const isActiveStatus = (a: MachineAction) => a.status === 'Pending' || a.status === 'InProgress';

/**
 * The one predicate: the newest Offboard in `actions` that is still running, or
 * (with `since`) was created at or after `since` — whatever its status.
 */
export function findOffboard(actions: readonly MachineAction[], since?: number): MachineAction | undefined {
  const matches = actions.filter(
    (a) =>
      a.type.toLowerCase() === 'offboard' &&
      (isActiveStatus(a) || (since !== undefined && created(a) >= since)),
  );
  return matches.sort((a, b) => (created(b) || 0) - (created(a) || 0))[0];
}

async function lookFor(ctx: OffboardCtx, machineId: string, since?: number) {
  return findOffboard(await ctx.listOffboards(machineId), since);
}

function comment(text: string) {
  const parsed = commentBody.safeParse({ Comment: text });
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/**
 * Before the POST, an Offboard already on the device is returned instead. After a
 * 429 the POST is sent again (the service did nothing). After a 5xx, a timeout or a
 * dropped connection the outcome is unknown: the device's Offboard actions are
 * listed and the one our attempt created is returned; only if there is none may it
 * be sent again (bounded by the retry policy). A 400 ActiveRequestAlreadyExists
 * returns the pending one.
 */
export async function offboardExactlyOnce(
  ctx: OffboardCtx,
  machineId: string,
  text: string,
  opts: OffboardOptions = {},
): Promise<OffboardResult> {
  const { deps } = ctx;
  const url = ctx.url(`api/machines/${machineIdSegment(machineId)}/offboard`);
  const body = comment(text);

  const ourStart = opts.startedAt === undefined ? undefined : opts.startedAt - OFFBOARD_CLOCK_SKEW_MS;
  const pending = opts.skipPendingCheck ? undefined : await lookFor(ctx, machineId, ourStart);
  if (pending) {
    deps.logger.info(
      { op: 'offboard', actionId: pending.id },
      'defender: offboard already pending; not sending',
    );
    return { action: pending, recovered: true };
  }

  const since = ourStart ?? deps.clock.now() - OFFBOARD_CLOCK_SKEW_MS;
  const recover = async (): Promise<OffboardResult | undefined> => {
    const found = await lookFor(ctx, machineId, since);
    if (found)
      deps.logger.info({ op: 'offboard', actionId: found.id }, 'defender: recovered the offboard action');
    return found && { action: found, recovered: true };
  };

  try {
    return await withRetries(deps, 'offboard', {
      onQueued: opts.onQueued,
      verify: recover,
      send: async (refresh) => {
        await opts.beforePost?.();
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
      const found = await lookFor(ctx, machineId);
      if (found) return { action: found, recovered: true };
      // Defender says an action exists but lists none: whether the device is being
      // offboarded is unknown, which is not "nothing happened".
      throw new DefenderError(
        { kind: 'unknownOutcome', operation: 'offboard', target: e.target },
        { cause: e },
      );
    }
    throw e;
  }
}

/** Cancel: the same care. After an unknown outcome, read the action: if it is final
 * (cancelled, or finished meanwhile) there is nothing left to send. */
export async function cancelExactlyOnce(
  ctx: OffboardCtx,
  actionId: string,
  text: string,
): Promise<MachineAction> {
  const { deps } = ctx;
  const url = ctx.url(`api/machineactions/${actionIdSegment(actionId)}/cancel`);
  const body = comment(text);
  const check = async () => {
    const action = await ctx.getAction(actionId);
    return isFinalStatus(action.status) ? action : undefined;
  };
  return withRetries(deps, 'cancelAction', {
    verify: check,
    send: async (refresh) => {
      const res = await sendOnce(deps, { operation: 'cancelAction', method: 'POST', url, body }, refresh);
      return parseMachineAction(res.body) ?? (await ctx.getAction(actionId));
    },
  });
}
