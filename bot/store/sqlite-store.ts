import type Database from 'better-sqlite3';
import { ACTIVE_STATES, type HistoryEntry, type OffboardRequest, type RequestState } from '../request/model';
import { isoTime, type Clock } from '../clock';
import type { Logger } from '../log';
import {
  describeOsError,
  isUnavailableSqliteError,
  RequestNotFoundError,
  StoreConflictError,
  StoreUnavailableError,
} from './store-errors';
import type { Lease, UpdateOptions } from './lease';
import { LocalLeases } from './lease-local';
import { appendedHistory, jsonCopy, machineKey, machineKeys } from './rules';
import { fromAuditRow, fromRow, prepareStatements, requestParams, type Statements } from './sqlite-sql';
import { DeviceBusyError, type AuditRecord, type RequestStore } from './types';

/**
 * RequestStore on SQLite (better-sqlite3). The calls are synchronous and take
 * microseconds; the async signature is the interface's, so a networked store can
 * replace this one. Made by openSqliteStore (sqlite.ts).
 */
export class SqliteRequestStore implements RequestStore {
  private closed = false;
  private readonly sql: Statements;
  /** One process per DATA_DIR (the bot's exclusive lock), so leases live in memory. */
  private readonly leases: LocalLeases;

  constructor(
    /** The raw handle, for tests and admin tools: it bypasses every rule of this class. */
    readonly db: Database.Database,
    readonly dataDir: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.sql = prepareStatements(db);
    this.leases = new LocalLeases(clock);
  }

  async create(request: OffboardRequest): Promise<OffboardRequest> {
    return this.run(() =>
      this.db
        .transaction(() => {
          if (this.sql.get.get(request.id)) throw new StoreConflictError(request.id);
          const saved = { ...jsonCopy(request), version: 1 };
          this.sql.insert.run(requestParams(saved));
          this.writeTargets(saved);
          this.appendAudit(saved.id, saved.history);
          return saved;
        })
        .immediate(),
    );
  }

  async get(id: string): Promise<OffboardRequest | undefined> {
    return this.run(() => {
      const row = this.sql.get.get(id);
      return row ? fromRow(row) : undefined;
    });
  }

  async update(next: OffboardRequest, options: UpdateOptions = {}): Promise<OffboardRequest> {
    return this.run(() => this.withSync(options.durable === false, () => this.write(next, options)));
  }

  /**
   * A non-durable write commits with `synchronous = NORMAL`: in WAL mode the commit is
   * not synced, and the next FULL commit's sync (or a checkpoint) covers its frames too.
   * The setting is the connection's, and better-sqlite3 runs one statement at a time,
   * so no other transaction can commit while it is lowered.
   */
  private withSync<T>(lowered: boolean, fn: () => T): T {
    if (!lowered || this.db.inTransaction) return fn();
    const was = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.db.pragma(`synchronous = ${was}`);
    }
  }

  private write(next: OffboardRequest, options: UpdateOptions): OffboardRequest {
    // IMMEDIATE takes the write lock first, so the read and the write below see the
    // same row even with another process on the same file.
    return this.db
      .transaction(() => {
        this.leases.check(options.fence);
        const row = this.sql.get.get(next.id);
        if (!row) throw new RequestNotFoundError(next.id);
        if (row.version !== next.version) throw new StoreConflictError(next.id);
        const copy = jsonCopy(next);
        const added = appendedHistory(next.id, fromRow(row).history, copy.history);
        const saved = { ...copy, version: next.version + 1 };
        // Compare-and-set on version: the WHERE clause is the guarantee, the check above the message.
        const result = this.sql.update.run({ ...requestParams(saved), expected: next.version });
        if (result.changes !== 1) throw new StoreConflictError(next.id);
        this.sql.deleteTargets.run(saved.id);
        this.writeTargets(saved);
        this.appendAudit(saved.id, added);
        return saved;
      })
      .immediate();
  }

  async listByState(
    states: readonly RequestState[],
    options: { updatedSince?: string } = {},
  ): Promise<OffboardRequest[]> {
    return this.run(() =>
      this.sql.byState
        .all({ states: JSON.stringify(states), updatedSince: options.updatedSince ?? null })
        .map(fromRow),
    );
  }

  async listDeliveryOwed(limit: number, options: { updatedSince?: string } = {}): Promise<OffboardRequest[]> {
    return this.run(() =>
      this.sql.deliveryOwed
        .all({ limit: Math.max(0, limit), updatedSince: options.updatedSince ?? null })
        .map(fromRow),
    );
  }

  async listDue(
    before: string,
    limit: number,
    options: { submittedBefore?: string; states?: readonly RequestState[] } = {},
  ): Promise<OffboardRequest[]> {
    return this.run(() =>
      this.sql.due
        .all({
          before,
          submittedBefore: options.submittedBefore ?? null,
          states: JSON.stringify(options.states ?? ACTIVE_STATES),
          limit: Math.max(0, limit),
        })
        .map(fromRow),
    );
  }

  async listActiveForMachine(machineId: string): Promise<OffboardRequest[]> {
    return this.run(() =>
      this.sql.activeForMachine
        .all({ machineId: machineKey(machineId), states: JSON.stringify(ACTIVE_STATES) })
        .map(fromRow),
    );
  }

  async audit(options: { since?: string } = {}): Promise<AuditRecord[]> {
    return this.run(() => {
      const rows =
        options.since === undefined ? this.sql.audit.all() : this.sql.auditSince.all(options.since);
      return rows.map(fromAuditRow);
    });
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    return this.run(() => this.leases.acquire(name, owner, ttlMs));
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
    return this.run(() => this.leases.renew(lease, ttlMs));
  }

  async releaseLease(lease: Lease): Promise<void> {
    this.run(() => this.leases.release(lease));
  }

  async ping(): Promise<void> {
    this.run(() => this.sql.ping.get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    this.logger.info({ dataDir: this.dataDir }, 'request store closed');
  }

  /** Rewrites the target rows; the state copy feeds the one-active-request-per-device index. */
  private writeTargets(r: OffboardRequest): void {
    const active = JSON.stringify(ACTIVE_STATES);
    for (const key of machineKeys(r)) {
      if (ACTIVE_STATES.includes(r.state)) {
        // The index is the guarantee; this look-up names the request holding the device.
        const holder = this.sql.activeHolder.get({ machineId: key, requestId: r.id, states: active });
        if (holder) throw new DeviceBusyError(key, holder.request_id);
      }
      this.sql.insertTarget.run(r.id, key, r.state);
    }
  }

  private appendAudit(requestId: string, entries: readonly HistoryEntry[]): void {
    const recordedAt = isoTime(this.clock);
    for (const e of entries) {
      const detail = e.detail === undefined ? null : JSON.stringify(e.detail);
      this.sql.appendAudit.run(
        requestId,
        e.at,
        e.event,
        e.actor,
        e.actorName ?? null,
        e.conversationId ?? null,
        detail,
        recordedAt,
      );
    }
  }

  /** Maps "the storage is unusable" failures to StoreUnavailableError; others pass through. */
  private run<T>(fn: () => T): T {
    if (this.closed) {
      const message = `DATA_DIR ${this.dataDir}: the request store is closed`;
      throw new StoreUnavailableError(message, { dataDir: this.dataDir });
    }
    try {
      return fn();
    } catch (e) {
      if (!isUnavailableSqliteError(e)) throw e;
      this.logger.error({ err: e, dataDir: this.dataDir }, 'request store write or read failed');
      throw new StoreUnavailableError(`DATA_DIR ${this.dataDir}: ${describeOsError(e)}`, {
        dataDir: this.dataDir,
        cause: e,
      });
    }
  }
}
