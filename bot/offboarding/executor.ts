/**
 * Executes an approved request. The request was moved to `executing` (with
 * `startedAt`) in the same write as the deciding approval, before this runs; the
 * Defender client's offboard (bot/defender/offboard.ts) decides whether a POST may
 * be sent (docs/architecture.md, "Exactly once").
 */
import type { OffboardRequest } from '../request/model';
import { LeaseLostError } from '../store/lease';
import {
  recordAction,
  recordFailure,
  recordQueued,
  recordRetry,
  recordUnknownOutcome,
} from '../request/transitions';
import { holdsBeforePost } from './rules';
import { DefenderErrorCode } from '../defender/defender-error';
import { backoffMs } from '../backoff';
import { errorInfo, isDefinitiveRefusal } from './defender-failures';
import { applyChange } from './compare-and-set';
import type { Held, LeaseKeeper } from './lease-keeper';
import type { OffboardingDeps } from './ports';
import { defenderComment } from './provenance';

const MAX_ATTEMPTS = 10;

export interface ExecutorHooks {
  /** Called after every stored change worth showing (card update, final notice); the
   * final one is awaited while the lease is held, so one instance posts the final notice. */
  changed(r: OffboardRequest): void | Promise<void>;
  /** Called once the request waits on Defender's action status. */
  tracking(r: OffboardRequest): void;
}

export class Executor {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, { cancel(): void }>();

  constructor(
    private readonly deps: OffboardingDeps,
    private readonly hooks: ExecutorHooks,
    private readonly leases: LeaseKeeper,
  ) {}

  /** Whether this instance is executing the request or waiting to retry it. */
  has(id: string): boolean {
    return this.inFlight.has(id) || this.retries.has(id);
  }

  /** Starts (or joins) the execution of a request; safe to call twice. */
  start(r: OffboardRequest): Promise<void> {
    const running = this.inFlight.get(r.id);
    if (running) return running;
    const p = this.run(r)
      .catch((e) => this.deps.logger.error({ err: e, requestId: r.id }, 'execution failed unexpectedly'))
      .finally(() => this.inFlight.delete(r.id));
    this.inFlight.set(r.id, p);
    return p;
  }

  idle(): Promise<void> {
    return Promise.all([...this.inFlight.values()]).then(() => undefined);
  }

  stop(): void {
    for (const t of this.retries.values()) t.cancel();
    this.retries.clear();
  }

  /** Only the lease holder executes; the others leave the request to it. */
  private async run(request: OffboardRequest): Promise<void> {
    if (request.state !== 'executing') return;
    const held = await this.leases.hold(request.id);
    if (!held) return;
    try {
      // Read under the lease: a previous holder may have recorded the action since.
      const fresh = await held.store.get(request.id);
      if (fresh?.state === 'executing') await this.runHeld(fresh, held);
    } catch (e) {
      if (!(e instanceof LeaseLostError)) throw e;
      this.deps.logger.warn({ requestId: request.id }, 'lease taken over; another instance executes');
    } finally {
      await held.release();
    }
  }

  private async runHeld(request: OffboardRequest, held: Held): Promise<void> {
    let r = request;
    for (const target of r.targets) {
      const e = target.execution;
      if (e.actionId || e.error) continue;
      if (e.retryAt && Date.parse(e.retryAt) > this.deps.clock.now()) {
        this.retryLater(r, Date.parse(e.retryAt));
        return;
      }
      const next = await this.executeTarget(r, target.machineId, held);
      if (!next) return;
      r = next;
    }
    await this.hooks.changed(r);
    if (r.state === 'tracking') this.hooks.tracking(r);
  }

  /** The stored request after this target's attempt, or undefined when a retry is scheduled. */
  private async executeTarget(
    r: OffboardRequest,
    machineId: string,
    held: Held,
  ): Promise<OffboardRequest | undefined> {
    const { deps } = this;
    const store = held.store;
    const execution = r.targets.find((t) => t.machineId === machineId)?.execution;
    const startedAt = Date.parse(execution?.startedAt ?? r.updatedAt);
    try {
      // The two-person rule once more, from the stored approvals and the rule now, group
      // members asked live: a row written by hand in state `executing` is not executed.
      // Graph unreachable: retried later below, like Defender unreachable.
      const hold = await holdsBeforePost(deps.policy, r);
      if (!hold.ok) {
        deps.logger.warn(
          { requestId: r.id, machineId, reason: hold.reason },
          'approval re-check failed; not sent',
        );
        const now = deps.clock.now();
        const error = {
          code: 'approval_check_failed',
          message: `The approvals no longer satisfy the two-person rule (${hold.reason}), so nothing was sent to Defender.`,
        };
        return applyChange(store, r.id, (cur) =>
          cur.state === 'executing' ? recordFailure(cur, machineId, now, error) : undefined,
        );
      }
      const result = await deps.defender.offboard(machineId, defenderComment(r), {
        startedAt,
        onQueued: (info) => void this.noteQueued(store, r, machineId, info.estimatedStartMs),
        // After the pre-check, right before the POST: only the lease holder sends it.
        beforePost: held.confirm,
      });
      const now = deps.clock.now();
      deps.logger.info(
        { requestId: r.id, machineId, actionId: result.action.id, recovered: result.recovered },
        'offboard action recorded',
      );
      return await applyChange(store, r.id, (cur) =>
        cur.state === 'executing'
          ? recordAction(
              cur,
              machineId,
              now,
              result.action,
              now + deps.tracking.firstCheckMs,
              result.recovered,
            )
          : undefined,
      );
    } catch (e) {
      if (e instanceof LeaseLostError) throw e;
      const info = errorInfo(e);
      const now = deps.clock.now();
      const attempts = (execution?.attempts ?? 0) + 1;
      // An attempt whose outcome could not be learned may have offboarded the device:
      // when the attempts run out after one, the request ends "outcome unknown".
      const uncertain = info.code === DefenderErrorCode.OutcomeUnknown;
      if (!isDefinitiveRefusal(e) && attempts >= MAX_ATTEMPTS && (uncertain || execution?.uncertain)) {
        deps.logger.warn({ requestId: r.id, machineId, code: info.code }, 'offboard outcome unknown');
        const unknown = {
          ...info,
          message: `Defender's answer could not be confirmed after ${attempts} attempts (${info.message}).`,
        };
        return applyChange(store, r.id, (cur) =>
          cur.state === 'executing' ? recordUnknownOutcome(cur, machineId, now, unknown) : undefined,
        );
      }
      if (isDefinitiveRefusal(e) || attempts >= MAX_ATTEMPTS) {
        deps.logger.warn(
          { requestId: r.id, machineId, code: info.code, target: info.target },
          'offboard failed',
        );
        const final = isDefinitiveRefusal(e)
          ? info
          : {
              ...info,
              message: `Defender could not be reached after ${attempts} attempts (${info.message}). Check the device in the Defender portal before asking again.`,
            };
        return applyChange(store, r.id, (cur) =>
          cur.state === 'executing' ? recordFailure(cur, machineId, now, final) : undefined,
        );
      }
      const retryAt = now + backoffMs(attempts, deps.tracking.firstCheckMs, deps.tracking.maxIntervalMs);
      deps.logger.warn(
        { requestId: r.id, machineId, code: info.code, attempts },
        'offboard call will be retried',
      );
      const saved = await applyChange(store, r.id, (cur) =>
        cur.state === 'executing'
          ? recordRetry(cur, machineId, now, info, attempts, retryAt, uncertain)
          : undefined,
      );
      if (saved) void this.hooks.changed(saved);
      this.retryLater(saved ?? r, retryAt);
      return undefined;
    }
  }

  private async noteQueued(
    store: OffboardingDeps['store'],
    r: OffboardRequest,
    machineId: string,
    etaMs: number,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const saved = await applyChange(store, r.id, (cur) =>
      cur.state === 'executing' ? recordQueued(cur, machineId, now, etaMs) : undefined,
    ).catch(() => undefined);
    if (saved) void this.hooks.changed(saved);
  }

  private retryLater(r: OffboardRequest, at: number): void {
    this.retries.get(r.id)?.cancel();
    const timer = this.deps.scheduler.setTimeout(
      () => {
        this.retries.delete(r.id);
        void this.start(r);
      },
      Math.max(0, at - this.deps.clock.now()),
    );
    this.retries.set(r.id, timer);
  }
}
