/**
 * The offboarding use cases behind one facade: what the Teams handlers call, and what
 * index.ts starts (resume + maintenance) and stops. No SDK types in or out.
 * With several instances on one database, background work goes to whoever holds the
 * lease: a request's execution and tracking (lease-keeper.ts), and the maintenance
 * sweep, which runs on one instance at a time. A periodic scan takes over the requests
 * of an instance that stopped renewing its leases (docs/architecture.md, "Exactly once").
 */
import { randomUUID } from 'node:crypto';
import type { OffboardRequest } from '../request/model';
import { expireIfDue } from '../request/policy';
import { mayRead } from './rules';
import { isFinalStatus } from '../defender/types';
import type { Timer } from '../clock';
import { actOnRequest, type ActInput, type ActOutcome } from './act';
import { Delivery } from './delivery';
import { Executor } from './executor';
import { LeaseKeeper, type LeaseSettings } from './lease-keeper';
import { needsCardUpdate, needsFinalNotice, needsReminder, recordReminder } from '../request/delivery-state';
import { buildReminder } from './reminder';
import { defenderCancelledNotice } from './notices';
import { applyChange } from './compare-and-set';
import { openRequest, type OpenInput, type OpenOutcome } from './open';
import { openBulkRequest, type BulkOpenInput, type BulkOpenOutcome } from './open-bulk';
import { cancelRequest, type CancelInput, type CancelOutcome } from './cancel';
import { listPending, type PendingQuery } from './pending';
import type { OffboardingDeps, PolicySettings } from './ports';
import { Tracker } from './tracker';

export interface StatusQuery {
  requestId: string;
  actorId: string | undefined;
  tenantId: string | undefined;
  conversationId: string;
}

export interface Offboarding {
  /** Who may approve now and how many approvals are needed (for cards). */
  readonly policy: PolicySettings;
  open(input: OpenInput): Promise<OpenOutcome>;
  /** Bulk `offboard` (lists, selectors): one request for the exact set (bot/offboarding/open-bulk.ts). */
  openBulk(input: BulkOpenInput): Promise<BulkOpenOutcome>;
  act(input: ActInput): Promise<ActOutcome>;
  /** The request, if this viewer may read it (bot/request/policy.ts canRead); else undefined. */
  status(query: StatusQuery): Promise<OffboardRequest | undefined>;
  /** `cancel <id>`: before execution, or the still-Pending Defender action after (bot/offboarding/cancel.ts). */
  cancel(input: CancelInput): Promise<CancelOutcome>;
  /** `pending`: what waits for the caller (bot/offboarding/pending.ts). */
  pending(query: PendingQuery): ReturnType<typeof listPending>;
  /** Picks up everything a previous process left unfinished. */
  resume(): Promise<void>;
  /** Expires due requests and redelivers what Teams missed, every `everyMs`; takes over
   * the work of instances that stopped, every third of the lease. */
  startMaintenance(everyMs: number): void;
  /** Runs one maintenance pass now, if this instance holds the maintenance lease. */
  sweep(): Promise<void>;
  /** Starts the execution or tracking that a stopped instance left behind (its lease expired). */
  takeOver(): Promise<void>;
  /** Waits until background work started so far is done (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

const REDELIVERY_WINDOW_MS = 7 * 24 * 3600_000;
/** At most this many requests of each kind per sweep (due; owed delivery). */
const SWEEP_BATCH = 200;
/** The lease name of the maintenance sweep (request ids start with OFB-). */
const MAINTENANCE = 'maintenance';

export interface OffboardingOptions {
  /** Default: a random owner and LEASE_SECONDS' default, 15 s. */
  lease?: LeaseSettings;
  /** REMINDER_AFTER_MINUTES: one reminder to approve this long after submission. Default 60 min. */
  reminderAfterMs?: number;
}

export function createOffboarding(deps: OffboardingDeps, options: OffboardingOptions = {}): Offboarding {
  const leases = new LeaseKeeper(
    deps.store,
    deps.scheduler,
    deps.logger,
    options.lease ?? { owner: `offboarder-${randomUUID()}`, ttlMs: 15_000 },
  );
  const { ttlMs } = leases.settings;
  const delivery = new Delivery(deps);
  const tracker = new Tracker(deps, (r) => delivery.sync(r), leases);
  const executor = new Executor(
    deps,
    { changed: (r) => delivery.sync(r), tracking: (r) => tracker.schedule(r) },
    leases,
  );
  let timers: Timer[] = [];
  let stopped = false;

  /** Kept, never released while running: the sweep stays on one instance until it stops. */
  async function leadsMaintenance(): Promise<boolean> {
    return leases.holds(MAINTENANCE) || (await leases.hold(MAINTENANCE)) !== undefined;
  }

  /** A final notice is posted by the instance holding the request's lease, from a fresh read. */
  async function deliverHeld(id: string): Promise<void> {
    const held = await leases.hold(id);
    if (!held) return;
    try {
      const fresh = await deps.store.get(id);
      if (fresh) await delivery.sync(fresh);
    } finally {
      await held.release();
    }
  }

  const reminderAfterMs = options.reminderAfterMs ?? 3600_000;

  /**
   * The reminder, like the final notice: posted by the holder of the request's lease from
   * a fresh read, then recorded on the request, so neither a restart nor a second
   * replica repeats it.
   */
  async function remindHeld(id: string, now: number): Promise<void> {
    const held = await leases.hold(id);
    if (!held) return;
    try {
      const fresh = await deps.store.get(id);
      if (!fresh || !needsReminder(fresh, now, reminderAfterMs)) return;
      const { text, mention } = await buildReminder(deps, fresh);
      await deps.notifier.postInThread(fresh, text, { mentionRequester: true, mention });
      const saved = await applyChange(deps.store, id, (cur) => recordReminder(cur, now));
      deps.logger.info({ requestId: id, mentioned: mention.length }, 'approval reminder posted');
      if (saved && needsCardUpdate(saved)) await delivery.sync(saved);
    } catch (err) {
      deps.logger.warn({ err, requestId: id }, 'approval reminder not delivered; will retry');
    } finally {
      await held.release();
    }
  }

  async function sweep(): Promise<void> {
    if (!(await leadsMaintenance())) return;
    const now = deps.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    // Index look-ups (bot/store/types.ts listDue, listDeliveryOwed): what is due and what
    // Teams is owed, never the whole history; anything beyond a batch waits a sweep.
    const due = await deps.store.listDue(iso(now), SWEEP_BATCH, {
      states: ['draft', 'awaiting_approval'],
      submittedBefore: iso(now - reminderAfterMs),
    });
    for (const r of due) {
      if (expireIfDue(r, now)) {
        const saved = await applyChange(deps.store, r.id, (cur) => expireIfDue(cur, now));
        if (saved) await delivery.sync(saved);
      } else if (needsReminder(r, now, reminderAfterMs)) await remindHeld(r.id, now);
    }
    // A week covers any outage: older undelivered requests are left alone.
    const owed = await deps.store.listDeliveryOwed(SWEEP_BATCH, {
      updatedSince: iso(now - REDELIVERY_WINDOW_MS),
    });
    for (const r of owed) {
      if (needsFinalNotice(r)) await deliverHeld(r.id);
      else if (needsCardUpdate(r)) await delivery.sync(r);
    }
  }

  /** One sweep at a time: a call while one runs starts when it ends. */
  let sweeping: Promise<void> | undefined;
  function sweepOnce(): Promise<void> {
    const next = (sweeping ?? Promise.resolve()).catch(() => undefined).then(sweep);
    sweeping = next;
    void next
      .finally(() => {
        if (sweeping === next) sweeping = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  async function takeOver(): Promise<void> {
    const now = deps.clock.now();
    // A due time missed by more than a lease: whoever had it scheduled has stopped.
    const overdue = (times: Array<string | undefined>) =>
      times.every((t) => !t || Date.parse(t) + ttlMs <= now);
    for (const r of await deps.store.listByState(['executing'])) {
      if (executor.has(r.id)) continue;
      if (overdue(r.targets.map((t) => t.execution.retryAt))) void executor.start(r);
    }
    for (const r of await deps.store.listByState(['tracking'])) {
      if (tracker.has(r.id)) continue;
      const open = r.targets.filter(
        (t) => t.execution.actionId && !(t.execution.actionStatus && isFinalStatus(t.execution.actionStatus)),
      );
      if (overdue(open.map((t) => t.execution.nextCheckAt))) tracker.schedule(r);
    }
  }

  return {
    policy: deps.policy,
    open: async (input) => {
      const outcome = await openRequest(deps, input);
      if (outcome.kind === 'created') await delivery.sync(outcome.request);
      return outcome;
    },
    openBulk: async (input) => {
      const outcome = await openBulkRequest(deps, input);
      if (outcome.kind === 'created') await delivery.sync(outcome.request);
      return outcome;
    },
    act: async (input) => {
      const outcome = await actOnRequest(deps, input);
      const changed = outcome.ok ? outcome.request : outcome.request;
      if (changed && needsFinalNotice(changed)) void deliverHeld(changed.id);
      else if (changed) void delivery.sync(changed);
      if (outcome.ok && outcome.execute) void executor.start(outcome.request);
      return outcome;
    },
    status: async ({ requestId, ...viewer }) => {
      const r = await deps.store.get(requestId);
      return r && (await mayRead(deps.policy, r, viewer)) ? r : undefined;
    },
    cancel: async (input) => {
      const outcome = await cancelRequest(deps, input);
      if (outcome.kind === 'bulk_stopped') {
        // The devices already sent are followed even if the executor has nothing left to do.
        if (outcome.request.state === 'tracking') tracker.schedule(outcome.request);
        if (needsFinalNotice(outcome.request)) void deliverHeld(outcome.request.id);
        else void delivery.sync(outcome.request);
      }
      if (outcome.kind === 'cancelled' || outcome.kind === 'defender_cancelled') {
        if (outcome.kind === 'defender_cancelled')
          await deps.notifier
            .postInThread(
              outcome.request,
              defenderCancelledNotice(
                outcome.request,
                { by: input.actor.name, actionId: outcome.actionId },
                deps.defaultLocale,
              ),
              { mentionRequester: true },
            )
            .catch((err: unknown) =>
              deps.logger.warn({ err, requestId: outcome.request.id }, 'cancel notice not delivered'),
            );
        if (needsFinalNotice(outcome.request)) void deliverHeld(outcome.request.id);
        else void delivery.sync(outcome.request);
      }
      return outcome;
    },
    pending: (query) => listPending(deps, query),
    resume: async () => {
      for (const r of await deps.store.listByState(['executing'])) void executor.start(r);
      for (const r of await deps.store.listByState(['tracking'])) tracker.schedule(r);
      // In the background: a sweep posts to Teams (with retries), and a slow or unreachable
      // Teams must not hold the start of the bot.
      void sweepOnce().catch((e) => deps.logger.error({ err: e }, 'maintenance sweep failed'));
    },
    startMaintenance: (everyMs) => {
      const every = (ms: number, what: string, fn: () => Promise<void>) => {
        const tick = () => {
          if (stopped) return;
          const t = deps.scheduler.setTimeout(() => {
            timers = timers.filter((x) => x !== t);
            void fn()
              .catch((e) => deps.logger.error({ err: e }, `${what} failed`))
              .finally(tick);
          }, ms);
          timers.push(t);
        };
        tick();
      };
      every(everyMs, 'maintenance sweep', sweepOnce);
      every(Math.max(1, Math.floor(ttlMs / 3)), 'lease take-over scan', takeOver);
    },
    sweep: sweepOnce,
    takeOver,
    idle: async () => {
      await sweeping?.catch(() => undefined);
      await executor.idle();
      await delivery.idle();
      // Handed over at once on shutdown rather than when the leases expire.
      if (stopped) await leases.releaseAll();
      await leases.idle();
    },
    stop: () => {
      stopped = true;
      for (const t of timers.splice(0)) t.cancel();
      executor.stop();
      tracker.stop();
    },
  };
}
