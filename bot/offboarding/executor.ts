import type { OffboardRequest } from '../request/model';
import { recordAction, recordFailure, recordQueued } from '../request/transitions';
import type { MachineAction } from '../defender/types';
import { errorInfo, isDefinitiveRefusal } from './defender-failures';
import { mutate } from './compare-and-set';
import type { OffboardingDeps } from './ports';
import { defenderComment } from './provenance';

/**
 * Executes an approved request exactly once. The request was moved to `executing`
 * (with `startedAt`) in the same write as the deciding approval, before this runs.
 * Before any POST we look for an Offboard action the device already has — one a
 * crashed run may have created after its POST and before storing the id — and adopt
 * it instead of posting again (architecture.md, step 6; issue: "never a blind second POST").
 */
const MAX_ATTEMPTS = 10;
/** Defender and our clock may disagree a little about when the POST happened. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface ExecutorHooks {
  /** Called after every stored change worth showing (card update, final notice). */
  changed(r: OffboardRequest): void;
  /** Called once the request waits on Defender's action status. */
  tracking(r: OffboardRequest): void;
}

export class Executor {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, { cancel(): void }>();

  constructor(
    private readonly deps: OffboardingDeps,
    private readonly hooks: ExecutorHooks,
  ) {}

  /** Starts (or joins) the execution of a request; safe to call twice. */
  start(id: string): Promise<void> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const p = this.run(id)
      .catch((e) => this.deps.logger.error({ err: e, requestId: id }, 'execution failed unexpectedly'))
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  idle(): Promise<void> {
    return Promise.all([...this.inFlight.values()]).then(() => undefined);
  }

  stop(): void {
    for (const t of this.retries.values()) t.cancel();
    this.retries.clear();
  }

  private async run(id: string): Promise<void> {
    let r = await this.deps.store.get(id);
    if (!r || r.state !== 'executing') return;
    for (const target of r.targets) {
      const e = target.execution;
      if (e.actionId || e.error) continue;
      if (e.retryAt && Date.parse(e.retryAt) > this.deps.clock.now()) {
        this.retryLater(id, Date.parse(e.retryAt));
        return;
      }
      r = (await this.executeTarget(r, target.machineId)) ?? r;
    }
    this.hooks.changed(r);
    if (r.state === 'tracking') this.hooks.tracking(r);
  }

  private async executeTarget(r: OffboardRequest, machineId: string): Promise<OffboardRequest | undefined> {
    const { deps } = this;
    const startedAt = Date.parse(
      r.targets.find((t) => t.machineId === machineId)?.execution.startedAt ?? r.updatedAt,
    );
    try {
      const existing = await this.findExisting(machineId, startedAt);
      const result = existing
        ? { action: existing, recovered: true }
        : await deps.defender.offboard(machineId, defenderComment(r), {
            onQueued: (info) => void this.noteQueued(r.id, machineId, info.estimatedStartMs),
            // findExisting just looked, more broadly than the client's own pending check.
            skipPendingCheck: true,
          });
      const now = deps.clock.now();
      deps.logger.info(
        { requestId: r.id, machineId, actionId: result.action.id, recovered: result.recovered },
        'offboard action recorded',
      );
      return await mutate(deps.store, r.id, (cur) =>
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
      const info = errorInfo(e);
      const now = deps.clock.now();
      const attempts = (r.targets.find((t) => t.machineId === machineId)?.execution.attempts ?? 0) + 1;
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
        return mutate(deps.store, r.id, (cur) =>
          cur.state === 'executing' ? recordFailure(cur, machineId, now, final) : undefined,
        );
      }
      const retryAt = now + Math.min(deps.tracking.firstCheckMs * 2 ** attempts, deps.tracking.maxIntervalMs);
      deps.logger.warn(
        { requestId: r.id, machineId, code: info.code, attempts },
        'offboard call will be retried',
      );
      const at = new Date(now).toISOString();
      const saved = await mutate(deps.store, r.id, (cur) => ({
        ...cur,
        updatedAt: at,
        history: [
          ...cur.history,
          {
            at,
            actor: 'system',
            event: 'call_failed',
            detail: {
              machineId,
              code: info.code,
              target: info.target,
              attempt: attempts,
              retryAt: new Date(retryAt).toISOString(),
            },
          },
        ],
        targets: cur.targets.map((t) =>
          t.machineId === machineId
            ? {
                ...t,
                execution: {
                  ...t.execution,
                  attempts,
                  retryAt: new Date(retryAt).toISOString(),
                  lastError: info,
                },
              }
            : t,
        ),
      }));
      if (saved) this.hooks.changed(saved);
      this.retryLater(r.id, retryAt);
      return undefined;
    }
  }

  /** An Offboard action on this device that is still running, or that began after our start. */
  private async findExisting(machineId: string, startedAt: number): Promise<MachineAction | undefined> {
    const actions = await this.deps.defender.listMachineActions({ machineId, type: 'Offboard' });
    return actions.find((a) => {
      if (a.type.toLowerCase() !== 'offboard') return false;
      if (a.status === 'Pending' || a.status === 'InProgress') return true;
      const created = Date.parse(a.creationDateTimeUtc ?? '');
      return Number.isFinite(created) && created >= startedAt - CLOCK_SKEW_MS;
    });
  }

  private async noteQueued(id: string, machineId: string, etaMs: number): Promise<void> {
    const now = this.deps.clock.now();
    const saved = await mutate(this.deps.store, id, (cur) =>
      cur.state === 'executing' ? recordQueued(cur, machineId, now, etaMs) : undefined,
    ).catch(() => undefined);
    if (saved) this.hooks.changed(saved);
  }

  private retryLater(id: string, at: number): void {
    this.retries.get(id)?.cancel();
    const timer = this.deps.scheduler.setTimeout(
      () => {
        this.retries.delete(id);
        void this.start(id);
      },
      Math.max(0, at - this.deps.clock.now()),
    );
    this.retries.set(id, timer);
  }
}
