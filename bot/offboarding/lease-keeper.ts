/**
 * This instance's leases (bot/store/lease.ts): a request's background work runs only
 * while its lease is held, renewed every third of its length, and released when done.
 * Work of one instance on one name shares one grant (counted), so the executor, the
 * tracker and the sweep of the same process never fence each other off.
 * docs/architecture.md, "Exactly once".
 */
import type { Timer } from '../clock';
import type { Logger } from '../log';
import type { Scheduler } from '../clock';
import { fencedStore } from '../store/fenced';
import { LeaseLostError, type Lease } from '../store/lease';
import type { RequestStore } from '../store/types';

export interface LeaseSettings {
  /** This process, unique across instances and restarts. */
  owner: string;
  ttlMs: number;
}

export interface Held {
  lease: Lease;
  /** The store with every update fenced by this lease. */
  store: RequestStore;
  /** Renews now; throws LeaseLostError if another instance has taken the lease. */
  confirm(): Promise<void>;
  release(): Promise<void>;
}

interface Entry {
  lease: Lease;
  count: number;
  timer?: Timer;
  lost: boolean;
}

export class LeaseKeeper {
  private readonly held = new Map<string, Entry>();
  private readonly releasing = new Set<Promise<void>>();

  constructor(
    private readonly store: RequestStore,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    readonly settings: LeaseSettings,
  ) {}

  /** Holds `name` (joining this instance's grant if any); undefined when another instance holds it. */
  async hold(name: string): Promise<Held | undefined> {
    let entry = this.held.get(name);
    if (entry && !entry.lost) entry.count++;
    else {
      const lease = await this.store.acquireLease(name, this.settings.owner, this.settings.ttlMs);
      if (!lease) return undefined;
      // Another hold of this name may have finished acquiring meanwhile: join it.
      entry = this.held.get(name);
      if (entry && !entry.lost && entry.lease.token === lease.token) entry.count++;
      else {
        entry = { lease, count: 1, lost: false };
        this.held.set(name, entry);
        this.renewLater(entry);
      }
    }
    const e = entry;
    let released = false;
    return {
      lease: e.lease,
      store: fencedStore(this.store, e.lease),
      confirm: async () => {
        if (e.lost || !(await this.store.renewLease(e.lease, this.settings.ttlMs))) {
          e.lost = true;
          throw new LeaseLostError(e.lease);
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        if (--e.count > 0) return;
        e.timer?.cancel();
        if (this.held.get(name) === e) this.held.delete(name);
        if (!e.lost) await this.track(this.store.releaseLease(e.lease).catch(() => undefined));
      },
    };
  }

  /** Whether this instance holds `name` now. */
  holds(name: string): boolean {
    const e = this.held.get(name);
    return e !== undefined && !e.lost;
  }

  /** Stops renewing and lets every lease go (shutdown): another instance may take over at once. */
  releaseAll(): Promise<void> {
    for (const [name, e] of this.held) {
      e.timer?.cancel();
      this.held.delete(name);
      if (!e.lost) void this.track(this.store.releaseLease(e.lease).catch(() => undefined));
    }
    return this.idle();
  }

  idle(): Promise<void> {
    return Promise.all([...this.releasing]).then(() => undefined);
  }

  private renewLater(e: Entry): void {
    e.timer = this.scheduler.setTimeout(
      () => {
        if (this.held.get(e.lease.name) !== e) return;
        void this.store.renewLease(e.lease, this.settings.ttlMs).then(
          (ok) => {
            if (ok) return this.renewLater(e);
            e.lost = true;
            this.logger.warn({ lease: e.lease.name }, 'lease taken over by another instance');
          },
          // The database is unreachable: keep trying; the holder's fenced writes decide.
          (err: unknown) => {
            this.logger.warn({ err, lease: e.lease.name }, 'lease renewal failed; will retry');
            this.renewLater(e);
          },
        );
      },
      Math.max(1, Math.floor(this.settings.ttlMs / 3)),
    );
  }

  private track(p: Promise<void>): Promise<void> {
    this.releasing.add(p);
    return p.finally(() => this.releasing.delete(p));
  }
}
