/**
 * Follows each MachineAction to a final status with back-off: the first check
 * `firstCheckMs` after the POST, then doubling up to `maxIntervalMs` (an offboard on
 * an unreachable device can stay Pending for a long time; docs/defender-api.md,
 * "MachineAction"). The next
 * check time is stored on the request, so tracking resumes after a restart. A request
 * with many targets is read in rounds of filtered pages, not one GET per action.
 */
import type { OffboardRequest } from '../request/model';
import { LeaseLostError } from '../store/lease';
import type { RequestStore } from '../store/types';
import { recordCheckFailed, recordStatus } from '../request/transitions';
import { isFinalStatus, type ActionStatus } from '../defender/types';
import { backoffMs } from '../backoff';
import type { Timer } from '../clock';
import { errorInfo, keyedError } from './defender-failures';
import { applyChange } from './compare-and-set';
import type { LeaseKeeper } from './lease-keeper';
import type { OffboardingDeps } from './ports';
import { isBulk } from '../request/bulk-progress';

export class Tracker {
  private readonly timers = new Map<string, Timer>();
  private stopped = false;

  constructor(
    private readonly deps: OffboardingDeps,
    /** Awaited while the lease is held, so one instance posts the final notice. */
    private readonly changed: (r: OffboardRequest) => void | Promise<void>,
    private readonly leases: LeaseKeeper,
  ) {}

  /** Whether a check of this request is scheduled here. */
  has(id: string): boolean {
    return this.timers.has(id);
  }

  schedule(r: OffboardRequest): void {
    if (this.stopped || r.state !== 'tracking') return;
    const due = r.targets
      .filter(
        (t) => t.execution.actionId && !(t.execution.actionStatus && isFinalStatus(t.execution.actionStatus)),
      )
      .map((t) => Date.parse(t.execution.nextCheckAt ?? '') || this.deps.clock.now());
    if (!due.length) return;
    this.timers.get(r.id)?.cancel();
    const wait = Math.max(0, Math.min(...due) - this.deps.clock.now());
    this.timers.set(
      r.id,
      this.deps.scheduler.setTimeout(() => {
        this.timers.delete(r.id);
        void this.check(r).catch((e) =>
          this.deps.logger.error({ err: e, requestId: r.id }, 'status check failed'),
        );
      }, wait),
    );
  }

  /** Checks every due target of one request now, if this instance gets its lease; an
   * instance that does not leaves the request to the holder (which schedules the next check). */
  async check(request: OffboardRequest): Promise<OffboardRequest> {
    if (request.state !== 'tracking') return request;
    const held = await this.leases.hold(request.id);
    if (!held) return request;
    try {
      // Read under the lease: another instance may have checked it since.
      const fresh = await held.store.get(request.id);
      return fresh ? await this.checkHeld(fresh, held.store) : request;
    } catch (e) {
      if (!(e instanceof LeaseLostError)) throw e;
      this.deps.logger.warn({ requestId: request.id }, 'lease taken over; another instance tracks');
      return request;
    } finally {
      await held.release();
    }
  }

  private async checkHeld(request: OffboardRequest, store: RequestStore): Promise<OffboardRequest> {
    const { deps } = this;
    const id = request.id;
    let r = request;
    if (r.state !== 'tracking') return r;
    if (isBulk(r) && deps.defender.listMachineActionsByIds) {
      r = await this.checkMany(r, store);
      this.schedule(r);
      return r;
    }
    for (const t of r.targets) {
      const e = t.execution;
      if (!e.actionId || (e.actionStatus && isFinalStatus(e.actionStatus))) continue;
      if (Date.parse(e.nextCheckAt ?? '') > deps.clock.now()) continue;
      const checks = (e.checks ?? 0) + 1;
      const interval = backoffMs(checks, deps.tracking.firstCheckMs, deps.tracking.maxIntervalMs);
      try {
        const action = await deps.defender.getMachineAction(e.actionId);
        const now = deps.clock.now();
        const next = isFinalStatus(action.status) ? undefined : now + interval;
        const before = e.actionStatus;
        r =
          (await applyChange(store, id, (cur) =>
            cur.state === 'tracking' ? recordStatus(cur, t.machineId, now, action.status, next) : undefined,
          )) ?? r;
        if (before !== action.status) {
          deps.logger.info(
            { requestId: id, actionId: e.actionId, status: action.status },
            'action status changed',
          );
          await this.changed(r);
        }
      } catch (err) {
        if (err instanceof LeaseLostError) throw err;
        // Reading failed: keep tracking, later. The status is unknown, not failed; the
        // card says so (with the next try), so the request is never silently stuck.
        const now = deps.clock.now();
        const info = errorInfo(err);
        deps.logger.warn({ requestId: id, actionId: e.actionId, ...info }, 'status check will be retried');
        r =
          (await applyChange(store, id, (cur) =>
            cur.state === 'tracking'
              ? recordCheckFailed(cur, t.machineId, now, info, checks, now + interval)
              : undefined,
          )) ?? r;
        await this.changed(r);
      }
    }
    this.schedule(r);
    return r;
  }

  /**
   * A bulk request's round: every open target due now (or within one first interval,
   * so staggered targets share rounds) is read in a few filtered pages rather than one
   * GET each, and the round is written once.
   */
  private async checkMany(r: OffboardRequest, store: RequestStore): Promise<OffboardRequest> {
    const { deps } = this;
    const horizon = deps.clock.now() + deps.tracking.firstCheckMs;
    const due = r.targets.filter((t) => {
      const e = t.execution;
      if (!e.actionId || (e.actionStatus && isFinalStatus(e.actionStatus))) return false;
      return !(Date.parse(e.nextCheckAt ?? '') > horizon);
    });
    if (!due.length) return r;
    const interval = (checks: number) =>
      backoffMs(checks, deps.tracking.firstCheckMs, deps.tracking.maxIntervalMs);
    let found: Map<string, ActionStatus>;
    try {
      const actions = await deps.defender.listMachineActionsByIds!(due.map((t) => t.execution.actionId!));
      found = new Map(actions.map((a) => [a.id.toLowerCase(), a.status]));
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      // Reading failed: the statuses are unknown, not failed; keep tracking, later.
      const now = deps.clock.now();
      const info = errorInfo(err);
      deps.logger.warn({ requestId: r.id, targets: due.length, ...info }, 'status checks will be retried');
      const saved = await applyChange(store, r.id, (cur) => {
        if (cur.state !== 'tracking') return undefined;
        let next = cur;
        for (const t of due) {
          const checks = (t.execution.checks ?? 0) + 1;
          next = recordCheckFailed(next, t.machineId, now, info, checks, now + interval(checks));
        }
        return next;
      });
      if (saved) await this.changed(saved);
      return saved ?? r;
    }
    const now = deps.clock.now();
    const missing = keyedError('action_not_listed', { key: 'notice.error.notListed' });
    let changed = 0;
    const saved = await applyChange(store, r.id, (cur) => {
      if (cur.state !== 'tracking') return undefined;
      let next = cur;
      changed = 0;
      for (const t of due) {
        const e = next.targets.find((x) => x.machineId === t.machineId)?.execution;
        if (!e?.actionId || (e.actionStatus && isFinalStatus(e.actionStatus))) continue;
        const checks = (e.checks ?? 0) + 1;
        const status = found.get(e.actionId.toLowerCase());
        if (!status) {
          next = recordCheckFailed(next, t.machineId, now, missing, checks, now + interval(checks));
          continue;
        }
        if (status !== e.actionStatus) changed++;
        const at = isFinalStatus(status) ? undefined : now + interval(checks);
        next = recordStatus(next, t.machineId, now, status, at);
      }
      return next;
    });
    if (!saved) return r;
    if (changed) {
      deps.logger.info({ requestId: r.id, changed, read: due.length }, 'action statuses changed');
      await this.changed(saved);
    }
    return saved;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
