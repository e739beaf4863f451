/**
 * Executes an approved request. The request was moved to `executing` (with
 * `startedAt` on every target) in the same write as the deciding approval, before this
 * runs; the Defender client's offboard (bot/defender/offboard.ts) decides whether a POST
 * may be sent (docs/architecture.md, "Exactly once").
 *
 * A request with many targets is sent at Defender's pace: a few targets are in flight
 * at once and the rate limiter paces them; each does its own find-or-POST. Their
 * results are written in batches (never one full-row write per queued target) and the
 * card is updated at most every BULK_CARD_UPDATE_MS, plus once at the end. A target
 * whose result was not written before a crash is found again by the pre-check
 * (docs/bulk.md, "Execution").
 */
import type { OffboardRequest } from '../request/model';
import { LeaseLostError } from '../store/lease';
import {
  ensureStarted,
  isUnsent,
  recordAction,
  recordFailure,
  recordQueued,
  recordQueuedMany,
  recordRetry,
  recordUnknownOutcome,
  TARGET_CANCELLED,
} from '../request/transitions';
import { holdsBeforePost } from './rules';
import { DefenderErrorCode } from '../defender/defender-error';
import { backoffMs } from '../backoff';
import { english, type Said } from '../i18n';
import { detailOf, errorInfo, isDefinitiveRefusal, keyedError } from './defender-failures';
import { applyChange } from './compare-and-set';
import type { Held, LeaseKeeper } from './lease-keeper';
import type { OffboardingDeps } from './ports';
import { defenderComment } from './provenance';
import { isBulk } from '../request/bulk-progress';

const MAX_ATTEMPTS = 10;
/** Targets of one request in flight at once; the rate limiter does the pacing. */
export const BULK_PARALLEL = 6;
/** A bulk request's card is updated at most this often while it runs (and once at the end). */
export const BULK_CARD_UPDATE_MS = 5_000;
/** Results of a bulk request are written together, at least this often... */
const FLUSH_EVERY_MS = 1_000;
/** ...or once this many are waiting. */
const FLUSH_BATCH = 25;
/** The two-person rule is asked again before POSTs when its last answer is older. */
const RECHECK_MS = 60_000;

export interface ExecutorHooks {
  /** Called after every stored change worth showing (card update, final notice); the
   * final one is awaited while the lease is held, so one instance posts the final notice. */
  changed(r: OffboardRequest): void | Promise<void>;
  /** Called once the request waits on Defender's action status. */
  tracking(r: OffboardRequest): void;
}

/** One target's result, applied to the freshest stored copy when the batch is written. */
interface Change {
  machineId: string;
  apply(cur: OffboardRequest): OffboardRequest;
  /** Only for a target still unsent (an action is recorded whatever happened since). */
  whileUnsent: boolean;
}

/** Thrown from beforePost when the target was cancelled meanwhile: nothing is sent. */
class TargetCancelled extends Error {}

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
      if (fresh?.state === 'executing') await new Run(this.deps, this.hooks, held, fresh).execute(this);
    } catch (e) {
      if (!(e instanceof LeaseLostError)) throw e;
      this.deps.logger.warn({ requestId: request.id }, 'lease taken over; another instance executes');
    } finally {
      await held.release();
    }
  }

  /** @internal Schedules the next run (a target waits for its retry time). */
  retryLater(r: OffboardRequest, at: number): void {
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

/** One execution pass over a request's unsent targets, under its lease. */
class Run {
  private r: OffboardRequest;
  private readonly bulk: boolean;
  private readonly changes: Change[] = [];
  private readonly queued = new Map<string, number>();
  private flushing: Promise<void> = Promise.resolve();
  private lastFlush: number;
  private lastCard: number;
  private approvalCheckedAt = -Infinity;
  private approvalCheck?: Promise<{ ok: true } | { ok: false; reason: Said }>;

  constructor(
    private readonly deps: OffboardingDeps,
    private readonly hooks: ExecutorHooks,
    private readonly held: Held,
    request: OffboardRequest,
  ) {
    this.r = request;
    this.bulk = isBulk(request);
    this.lastFlush = deps.clock.now();
    this.lastCard = deps.clock.now();
  }

  async execute(executor: Executor): Promise<void> {
    const { deps } = this;
    const now = deps.clock.now();
    // startedAt is durable before any POST: written here if the approval write lacked it.
    if (this.r.targets.some((t) => isUnsent(t.execution) && !t.execution.startedAt)) {
      const saved = await applyChange(this.held.store, this.r.id, (cur) =>
        cur.state === 'executing' ? ensureStarted(cur, now) : undefined,
      );
      if (!saved || saved.state !== 'executing') return;
      this.r = saved;
    }
    const waiting = (at: string | undefined) => at !== undefined && Date.parse(at) > now;
    const todo = this.r.targets
      .filter((t) => isUnsent(t.execution) && !waiting(t.execution.retryAt))
      .map((t) => t.machineId);
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const machineId = todo[next++]!;
        // The freshest copy this run has seen: a cancel stops the rest without their pre-checks.
        const e = this.r.targets.find((t) => t.machineId === machineId)?.execution;
        if (this.r.state !== 'executing' || !e || !isUnsent(e)) continue;
        const change = await this.executeTarget(machineId);
        if (change) await this.add(change);
      }
    };
    const workers = Math.min(this.bulk ? BULK_PARALLEL : 1, todo.length);
    await Promise.all(Array.from({ length: workers }, worker));
    await this.flush();
    await this.flushing;
    const r = this.r;
    await this.hooks.changed(r);
    if (r.state === 'tracking') this.hooks.tracking(r);
    // Targets that wait for a retry: the next run starts when the first one is due.
    const retryAts = r.targets
      .filter((t) => r.state === 'executing' && isUnsent(t.execution) && t.execution.retryAt)
      .map((t) => Date.parse(t.execution.retryAt!));
    if (retryAts.length) executor.retryLater(r, Math.min(...retryAts));
  }

  private async add(change: Change): Promise<void> {
    this.changes.push(change);
    const now = this.deps.clock.now();
    if (!this.bulk || this.changes.length >= FLUSH_BATCH || now - this.lastFlush >= FLUSH_EVERY_MS)
      await this.flush();
  }

  /** Writes the waiting results (and queue estimates) in one compare-and-set. */
  private flush(): Promise<void> {
    const run = async () => {
      const changes = this.changes.splice(0);
      const queued = new Map(this.queued);
      this.queued.clear();
      if (!changes.length && !queued.size) return;
      const now = this.deps.clock.now();
      this.lastFlush = now;
      const saved = await applyChange(this.held.store, this.r.id, (cur) => {
        if (cur.state !== 'executing' && !changes.some((c) => !c.whileUnsent)) return undefined;
        let next = cur;
        for (const c of changes) {
          const e = next.targets.find((t) => t.machineId === c.machineId)?.execution;
          if (!e || e.actionId) continue;
          if (c.whileUnsent && (!isUnsent(e) || next.state !== 'executing')) continue;
          next = c.apply(next);
        }
        if (queued.size && next.state === 'executing')
          next =
            queued.size === 1 && !this.bulk
              ? recordQueued(next, [...queued.keys()][0]!, now, [...queued.values()][0]!)
              : recordQueuedMany(next, queued, now);
        return next === cur ? undefined : next;
      });
      if (!saved) return;
      this.r = saved;
      if (!this.bulk || now - this.lastCard >= BULK_CARD_UPDATE_MS) {
        this.lastCard = now;
        if (saved.state === 'executing') void this.hooks.changed(saved);
      }
    };
    // Flushes run one after another, each on the freshest copy. A failed write loses only
    // this batch's notes: those targets stay unsent, and the next run's pre-check finds
    // any action they created. A lost lease stops the run.
    const p = this.flushing.then(run).catch((e: unknown) => {
      if (e instanceof LeaseLostError) throw e;
      this.deps.logger.warn({ err: e, requestId: this.r.id }, 'writing execution results failed');
    });
    this.flushing = p.catch(() => undefined);
    return p;
  }

  private noteQueued(machineId: string, etaMs: number): void {
    this.queued.set(machineId, etaMs);
    const now = this.deps.clock.now();
    if (!this.bulk || now - this.lastFlush >= FLUSH_EVERY_MS) void this.flush().catch(() => undefined);
  }

  /** The approval re-check, shared by the targets of one run and repeated after RECHECK_MS. */
  private approvalsHold() {
    const now = this.deps.clock.now();
    if (!this.approvalCheck || now - this.approvalCheckedAt >= RECHECK_MS) {
      this.approvalCheckedAt = now;
      this.approvalCheck = holdsBeforePost(this.deps.policy, this.r);
      // A failed look (Graph unreachable) is asked again by the next target.
      this.approvalCheck.catch(() => (this.approvalCheck = undefined));
    }
    return this.approvalCheck;
  }

  /** Before each POST: still the lease holder, and this target was not cancelled meanwhile. */
  private async beforePost(machineId: string): Promise<void> {
    await this.held.confirm();
    if (!this.bulk && this.r.state === 'executing') return;
    const cur = await this.held.store.get(this.r.id);
    const e = cur?.targets.find((t) => t.machineId === machineId)?.execution;
    if (!cur || !e || e.error?.code === TARGET_CANCELLED || cur.state !== 'executing')
      throw new TargetCancelled();
  }

  /** This target's find-or-POST; the change to record (undefined: nothing to record). */
  private async executeTarget(machineId: string): Promise<Change | undefined> {
    const { deps } = this;
    const r = this.r;
    const execution = r.targets.find((t) => t.machineId === machineId)?.execution;
    const startedAt = Date.parse(execution?.startedAt ?? r.updatedAt);
    try {
      // The two-person rule once more, from the stored approvals and the rule now, group
      // members asked live: a row written by hand in state `executing` is not executed.
      // Graph unreachable: retried later below, like Defender unreachable.
      const hold = await this.approvalsHold();
      if (!hold.ok) {
        deps.logger.warn(
          { requestId: r.id, machineId, reason: english(hold.reason) },
          'approval re-check failed; not sent',
        );
        const now = deps.clock.now();
        const error = keyedError('approval_check_failed', {
          key: 'notice.error.approvalsNoLonger',
          params: { reason: hold.reason },
        });
        return { machineId, whileUnsent: true, apply: (cur) => recordFailure(cur, machineId, now, error) };
      }
      const result = await deps.defender.offboard(machineId, defenderComment(r), {
        startedAt,
        onQueued: (info) => this.noteQueued(machineId, info.estimatedStartMs),
        // After the pre-check, right before the POST: only the lease holder sends it.
        beforePost: () => this.beforePost(machineId),
      });
      const now = deps.clock.now();
      deps.logger.info(
        { requestId: r.id, machineId, actionId: result.action.id, recovered: result.recovered },
        'offboard action recorded',
      );
      const firstCheck = now + deps.tracking.firstCheckMs;
      return {
        machineId,
        whileUnsent: false,
        apply: (cur) => recordAction(cur, machineId, now, result.action, firstCheck, result.recovered),
      };
    } catch (e) {
      if (e instanceof LeaseLostError) throw e;
      if (e instanceof TargetCancelled) return undefined;
      const info = errorInfo(e);
      const now = deps.clock.now();
      const attempts = (execution?.attempts ?? 0) + 1;
      // An attempt whose outcome could not be learned may have offboarded the device:
      // when the attempts run out after one, the target ends "outcome unknown".
      const uncertain = info.code === DefenderErrorCode.OutcomeUnknown;
      if (!isDefinitiveRefusal(e) && attempts >= MAX_ATTEMPTS && (uncertain || execution?.uncertain)) {
        deps.logger.warn({ requestId: r.id, machineId, code: info.code }, 'offboard outcome unknown');
        const unknown = keyedError(
          info.code,
          { key: 'notice.error.unconfirmed', params: { count: String(attempts), detail: detailOf(info) } },
          info.target,
        );
        return {
          machineId,
          whileUnsent: true,
          apply: (cur) => recordUnknownOutcome(cur, machineId, now, unknown),
        };
      }
      if (isDefinitiveRefusal(e) || attempts >= MAX_ATTEMPTS) {
        deps.logger.warn(
          { requestId: r.id, machineId, code: info.code, target: info.target },
          'offboard failed',
        );
        const final = isDefinitiveRefusal(e)
          ? info
          : keyedError(
              info.code,
              {
                key: 'notice.error.unreachable',
                params: { count: String(attempts), detail: detailOf(info) },
              },
              info.target,
            );
        return { machineId, whileUnsent: true, apply: (cur) => recordFailure(cur, machineId, now, final) };
      }
      const retryAt = now + backoffMs(attempts, deps.tracking.firstCheckMs, deps.tracking.maxIntervalMs);
      deps.logger.warn(
        { requestId: r.id, machineId, code: info.code, attempts },
        'offboard call will be retried',
      );
      return {
        machineId,
        whileUnsent: true,
        apply: (cur) => recordRetry(cur, machineId, now, info, attempts, retryAt, uncertain),
      };
    }
  }
}
