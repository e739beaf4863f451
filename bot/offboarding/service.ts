/**
 * The offboarding use cases behind one facade: what the Teams handlers call, and what
 * index.ts starts (resume + maintenance) and stops. No SDK types in or out.
 */
import type { OffboardRequest } from '../request/model';
import { ACTIVE_STATES, FINISHED_STATES } from '../request/model';
import { expireIfDue } from '../request/policy';
import type { Timer } from '../clock';
import { actOnRequest, type ActInput, type ActOutcome } from './act';
import { Delivery } from './delivery';
import { Executor } from './executor';
import { needsCardUpdate, needsFinalNotice } from '../request/delivery-state';
import { applyChange } from './compare-and-set';
import { openRequest, type OpenInput, type OpenOutcome } from './open';
import type { OffboardingDeps } from './ports';
import { Tracker } from './tracker';

export interface Offboarding {
  open(input: OpenInput): Promise<OpenOutcome>;
  act(input: ActInput): Promise<ActOutcome>;
  status(requestId: string, tenantId: string | undefined): Promise<OffboardRequest | undefined>;
  /** Picks up everything a previous process left unfinished. */
  resume(): Promise<void>;
  /** Expires due requests and redelivers what Teams missed, every `everyMs`. */
  startMaintenance(everyMs: number): void;
  /** Runs one maintenance pass now (tests, and the periodic timer). */
  sweep(): Promise<void>;
  /** Waits until background work started so far is done (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

const REDELIVERY_WINDOW_MS = 7 * 24 * 3600_000;

export function createOffboarding(deps: OffboardingDeps): Offboarding {
  const delivery = new Delivery(deps);
  const tracker = new Tracker(deps, (r) => void delivery.sync(r));
  const executor = new Executor(deps, {
    changed: (r) => void delivery.sync(r),
    tracking: (r) => tracker.schedule(r),
  });
  let timer: Timer | undefined;
  let stopped = false;

  async function sweep(): Promise<void> {
    const now = deps.clock.now();
    for (const r of await deps.store.listByState(ACTIVE_STATES)) {
      const expired = expireIfDue(r, now);
      if (expired) {
        const saved = await applyChange(deps.store, r.id, (cur) => expireIfDue(cur, now));
        if (saved) await delivery.sync(saved);
      } else if (needsCardUpdate(r)) {
        await delivery.sync(r);
      }
    }
    // Finished requests only need a look while a card update or the final reply may be
    // owed: a week covers any outage. Reading the whole history every minute would not
    // scale (bench: 0.45 s of blocked event loop per sweep at 10,000 requests).
    const recent = new Date(now - REDELIVERY_WINDOW_MS).toISOString();
    for (const r of await deps.store.listByState(FINISHED_STATES, { updatedSince: recent })) {
      if (needsFinalNotice(r) || needsCardUpdate(r)) await delivery.sync(r);
    }
  }

  return {
    open: async (input) => {
      const outcome = await openRequest(deps, input);
      if (outcome.kind === 'created') await delivery.sync(outcome.request);
      return outcome;
    },
    act: async (input) => {
      const outcome = await actOnRequest(deps, input);
      if (outcome.ok || outcome.request) void delivery.sync(outcome.ok ? outcome.request : outcome.request!);
      if (outcome.ok && outcome.execute) void executor.start(outcome.request);
      return outcome;
    },
    status: async (requestId, tenantId) => {
      const r = await deps.store.get(requestId);
      return r && tenantId && r.tenantId === tenantId.toLowerCase() ? r : undefined;
    },
    resume: async () => {
      for (const r of await deps.store.listByState(['executing'])) void executor.start(r);
      for (const r of await deps.store.listByState(['tracking'])) tracker.schedule(r);
      await sweep();
    },
    startMaintenance: (everyMs) => {
      const tick = () => {
        if (stopped) return;
        timer = deps.scheduler.setTimeout(() => {
          void sweep()
            .catch((e) => deps.logger.error({ err: e }, 'maintenance sweep failed'))
            .finally(tick);
        }, everyMs);
      };
      tick();
    },
    sweep,
    idle: async () => {
      await executor.idle();
      await delivery.idle();
    },
    stop: () => {
      stopped = true;
      timer?.cancel();
      executor.stop();
      tracker.stop();
    },
  };
}
