/**
 * Leases of a store that only one process uses (memory, and SQLite behind its DATA_DIR
 * lock): kept in memory with the store's clock, so the executor and tracker take the
 * same path as with PostgreSQL. A restart starts with no lease held, which is right:
 * the previous holder was this process's predecessor, and it is gone.
 */
import type { Clock } from '../clock';
import { LeaseLostError, type Lease } from './lease';

interface Held {
  owner: string;
  token: number;
  expiresAt: number;
}

export class LocalLeases {
  private readonly held = new Map<string, Held>();

  constructor(private readonly clock: Clock) {}

  acquire(name: string, owner: string, ttlMs: number): Lease | undefined {
    const now = this.clock.now();
    const cur = this.held.get(name);
    const live = cur !== undefined && cur.expiresAt > now;
    if (live && cur.owner !== owner) return undefined;
    const token = live ? cur.token : (cur?.token ?? 0) + 1;
    this.held.set(name, { owner, token, expiresAt: now + ttlMs });
    return { name, owner, token };
  }

  renew(lease: Lease, ttlMs: number): boolean {
    const cur = this.held.get(lease.name);
    if (!cur || cur.token !== lease.token || cur.owner !== lease.owner) return false;
    cur.expiresAt = this.clock.now() + ttlMs;
    return true;
  }

  release(lease: Lease): void {
    const cur = this.held.get(lease.name);
    if (cur && cur.token === lease.token && cur.owner === lease.owner) cur.expiresAt = -Infinity;
  }

  /** Throws unless `fence` is still the newest grant of its name. */
  check(fence: Lease | undefined): void {
    if (!fence) return;
    if (this.held.get(fence.name)?.token !== fence.token) throw new LeaseLostError(fence);
  }
}
