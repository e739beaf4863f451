/**
 * Leases: which bot instance may do a request's background work (the Defender call,
 * a status check) right now. A lease has an owner, an expiry and a fencing token that
 * grows every time the lease changes hands; a write that carries the token of a lease
 * someone else has taken since is refused (LeaseLostError), so a stalled holder that
 * wakes up late cannot overwrite its successor. docs/architecture.md, "Exactly once".
 */

export interface Lease {
  /** A request id, or the name of a job such as the maintenance sweep. */
  readonly name: string;
  readonly owner: string;
  /** Grows each time the lease goes to a new holder (never reused for a name). */
  readonly token: number;
}

export interface LeaseStore {
  /**
   * Grants `name` to `owner` for `ttlMs` when it is free, expired, or already held by
   * this owner (then with the same token); undefined while another owner holds it.
   * PostgreSQL judges expiry by the database's clock, so replicas' clocks may differ.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a lease by `ttlMs` from now; false when someone else has taken it since. */
  renewLease(lease: Lease, ttlMs: number): Promise<boolean>;
  /** Lets anyone take it at once; nothing happens if it changed hands already. */
  releaseLease(lease: Lease): Promise<void>;
}

export interface UpdateOptions {
  /** Refuse the write (LeaseLostError) unless this lease's token is still the current one. */
  fence?: Lease;
  /**
   * False: the write need not survive a machine crash (delivery bookkeeping only), so it
   * does not wait for the disk: SQLite commits it without syncing the WAL (the next
   * durable commit or checkpoint does), PostgreSQL with `synchronous_commit = off`. Still
   * compare-and-set and atomic; a process crash loses nothing. Default true.
   */
  durable?: boolean;
}

/** A fenced write of a holder whose lease another instance has taken since. */
export class LeaseLostError extends Error {
  readonly code = 'lease_lost';

  constructor(readonly lease: Lease) {
    super(`lease ${lease.name} (token ${lease.token}) was taken over by another instance`);
    this.name = 'LeaseLostError';
  }
}
