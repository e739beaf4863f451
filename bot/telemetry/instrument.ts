/**
 * Telemetry around parts that know nothing of it: decorators over the request store,
 * the Teams application, the notifier's scheduler and the rate limiter. runtime.ts
 * applies them; with noopTelemetry they are not applied at all.
 */
import type { TurnContext } from 'botbuilder';
import type { Clock, Scheduler } from '../clock';
import { OPERATIONS } from '../defender/operations';
import type { RateLimiter } from '../defender/rate-limiter';
import type { OffboardRequest, RequestState } from '../request/model';
import type { RequestStore } from '../store/types';
import { ATTR, METRIC, SPAN } from './names';
import type { Telemetry } from './types';

/** What the HTTP edge runs each turn through (bot/app.ts BotApp). */
export interface TurnRunner {
  run(ctx: TurnContext): Promise<boolean>;
}

/** A span per turn, or per click for a card's Action.Execute. */
export function instrumentApp(app: TurnRunner, telemetry: Telemetry): TurnRunner {
  const run = (ctx: TurnContext) => {
    const a = ctx.activity;
    const value = a.value as { action?: { verb?: unknown; data?: { requestId?: unknown } } } | undefined;
    const click = a.type === 'invoke' && a.name === 'adaptiveCard/action';
    const requestId = click ? value?.action?.data?.requestId : undefined;
    return telemetry.span(
      click ? SPAN.click : SPAN.turn,
      click
        ? {
            [ATTR.verb]: String(value?.action?.verb ?? ''),
            [ATTR.requestId]: typeof requestId === 'string' ? requestId : undefined,
          }
        : { [ATTR.activityType]: a.type },
      () => app.run(ctx),
      { root: true },
    );
  };
  return { run };
}

const DECIDED: Partial<Record<RequestState, string>> = { executing: 'approved', rejected: 'rejected' };
// Execution outcomes: Defender's final status reached, refused, or not knowable.
const FINAL: readonly RequestState[] = ['completed', 'failed', 'outcome_unknown'];
/** Bounds the map of last-seen states (requests another instance finished stay in it). */
const MAX_KNOWN = 10_000;

/**
 * A span per store call, and the request metrics, from the states the store writes:
 * requests entering each state, time to the decision, time from it to the final status.
 */
export function instrumentStore(store: RequestStore, telemetry: Telemetry, clock: Clock): RequestStore {
  const known = new Map<string, RequestState>();
  const seen = (r: OffboardRequest | undefined) => {
    if (!r) return r;
    known.delete(r.id);
    if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value!);
    known.set(r.id, r.state);
    return r;
  };
  const entered = (r: OffboardRequest, previous: RequestState | undefined) => {
    if (r.state === previous) return;
    telemetry.add(METRIC.requests, { [ATTR.state]: r.state });
    const now = clock.now();
    const decision = DECIDED[r.state];
    if (decision)
      telemetry.record(METRIC.decisionDuration, (now - Date.parse(r.createdAt)) / 1000, {
        [ATTR.decision]: decision,
      });
    const approvedAt = Math.max(...r.approvals.map((a) => Date.parse(a.at)));
    if (FINAL.includes(r.state) && previous !== undefined && Number.isFinite(approvedAt))
      telemetry.record(METRIC.completionDuration, (now - approvedAt) / 1000, { [ATTR.state]: r.state });
  };
  const call = <T>(method: string, requestId: string | undefined, fn: () => Promise<T>) =>
    telemetry.span(`${SPAN.storePrefix}${method}`, { [ATTR.storeMethod]: method }, () => {
      if (requestId) telemetry.setRequestId(requestId);
      return fn();
    });

  const traced: Partial<RequestStore> = {
    create: (r) =>
      call('create', r.id, async () => {
        const stored = await store.create(r);
        entered(stored, undefined);
        return seen(stored)!;
      }),
    get: (id) => call('get', id, async () => seen(await store.get(id))),
    update: (next, options) =>
      call('update', next.id, async () => {
        const previous = known.get(next.id);
        const stored = await store.update(next, options);
        entered(stored, previous);
        return seen(stored)!;
      }),
    listByState: (states, options) =>
      call('listByState', undefined, async () => {
        const list = await store.listByState(states, options);
        list.forEach(seen);
        return list;
      }),
    listActiveForMachine: (machineId) =>
      call('listActiveForMachine', undefined, () => store.listActiveForMachine(machineId)),
    audit: (options) => call('audit', undefined, () => store.audit(options)),
  };
  // Everything else (probes, leases, close) passes through untouched: a probe or a lease
  // renewal every few seconds would be noise, and new store methods need no change here.
  return new Proxy(store, {
    get(target, prop) {
      if (Object.hasOwn(traced, prop)) return traced[prop as keyof RequestStore];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The notifier sleeps only between attempts of a send (send-retry.ts): each sleep of
 * its scheduler is one delivery retry.
 */
export function countDeliveryRetries(scheduler: Scheduler, telemetry: Telemetry): Scheduler {
  return {
    setTimeout: (fn, ms) => scheduler.setTimeout(fn, ms),
    sleep: (ms) => {
      telemetry.add(METRIC.deliveryRetries);
      return scheduler.sleep(ms);
    },
  };
}

/** The rate-limit queue length per operation, read when metrics are collected. */
export function observeQueues(limiter: RateLimiter, telemetry: Telemetry): void {
  telemetry.observe(METRIC.queueLength, () =>
    OPERATIONS.map((op) => ({ value: limiter.snapshot(op).waiting, attributes: { [ATTR.operation]: op } })),
  );
}
