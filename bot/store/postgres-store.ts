/**
 * RequestStore on PostgreSQL (node-postgres pool): the same contract as the SQLite
 * store, for more than one bot instance on one database. Each write is one
 * transaction; compare-and-set is a row lock plus `WHERE version = expected`. Made by
 * openPostgresStore (postgres.ts).
 */
import type { Pool, PoolClient } from 'pg';
import { isoTime, type Clock } from '../clock';
import type { Logger } from '../log';
import { ACTIVE_STATES, type HistoryEntry, type OffboardRequest, type RequestState } from '../request/model';
import { RequestNotFoundError, StoreUnavailableError } from './store-errors';
import { inTransaction, isUnavailablePgError, pgUnavailable, redactDatabaseUrl } from './postgres-pool';
import {
  fromPgAuditRow,
  fromPgRow,
  requestValues,
  SQL,
  type PgAuditRow,
  type PgRequestRow,
} from './postgres-sql';
import { LeaseLostError, type Lease, type UpdateOptions } from './lease';
import { appendedHistory, jsonCopy, machineKey, machineKeys } from './rules';
import { DeviceBusyError, StoreConflictError, type AuditRecord, type RequestStore } from './types';

export class PostgresRequestStore implements RequestStore {
  private closed = false;

  constructor(
    /** The raw pool, for tests and admin tools: it bypasses every rule of this class. */
    readonly pool: Pool,
    /** DATABASE_URL; only ever logged through redactDatabaseUrl. */
    private readonly url: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The URL with its password masked. */
  get database(): string {
    return redactDatabaseUrl(this.url);
  }

  async create(request: OffboardRequest): Promise<OffboardRequest> {
    return this.transaction(async (c) => {
      const saved = { ...jsonCopy(request), version: 1 };
      const inserted = await c.query(SQL.insert, requestValues(saved));
      if (inserted.rowCount !== 1) throw new StoreConflictError(request.id);
      await this.writeTargets(c, saved);
      await this.appendAudit(c, saved.id, saved.history);
      return saved;
    });
  }

  async get(id: string): Promise<OffboardRequest | undefined> {
    return this.run(async () => {
      const { rows } = await this.pool.query<PgRequestRow>(SQL.get, [id]);
      return rows[0] ? fromPgRow(rows[0]) : undefined;
    });
  }

  async update(next: OffboardRequest, options: UpdateOptions = {}): Promise<OffboardRequest> {
    return this.transaction(async (c) => {
      // Only this transaction's commit skips waiting for the WAL flush.
      if (options.durable === false) await c.query(SQL.notDurable);
      const { fence } = options;
      if (fence) {
        const { rows: held } = await c.query<{ token: string }>(SQL.leaseToken, [fence.name]);
        if (Number(held[0]?.token) !== fence.token) throw new LeaseLostError(fence);
      }
      const { rows } = await c.query<PgRequestRow>(SQL.getForUpdate, [next.id]);
      const row = rows[0];
      if (!row) throw new RequestNotFoundError(next.id);
      if (row.version !== next.version) throw new StoreConflictError(next.id);
      const copy = jsonCopy(next);
      const added = appendedHistory(next.id, fromPgRow(row).history, copy.history);
      const saved = { ...copy, version: next.version + 1 };
      // Compare-and-set on version: the WHERE clause is the guarantee, the check above the message.
      const result = await c.query(SQL.update, [...requestValues(saved), next.version]);
      if (result.rowCount !== 1) throw new StoreConflictError(next.id);
      await c.query(SQL.deleteTargets, [saved.id]);
      await this.writeTargets(c, saved);
      await this.appendAudit(c, saved.id, added);
      return saved;
    });
  }

  async listByState(
    states: readonly RequestState[],
    options: { updatedSince?: string } = {},
  ): Promise<OffboardRequest[]> {
    return this.run(async () => {
      const { rows } = await this.pool.query<PgRequestRow>(SQL.byState, [
        states,
        options.updatedSince ?? null,
      ]);
      return rows.map(fromPgRow);
    });
  }

  async listDeliveryOwed(limit: number, options: { updatedSince?: string } = {}): Promise<OffboardRequest[]> {
    return this.run(async () => {
      const { rows } = await this.pool.query<PgRequestRow>(SQL.deliveryOwed, [
        Math.max(0, limit),
        options.updatedSince ?? null,
      ]);
      return rows.map(fromPgRow);
    });
  }

  async listDue(
    before: string,
    limit: number,
    options: { submittedBefore?: string; states?: readonly RequestState[] } = {},
  ): Promise<OffboardRequest[]> {
    return this.run(async () => {
      const { rows } = await this.pool.query<PgRequestRow>(SQL.due, [
        before,
        options.submittedBefore ?? null,
        options.states ?? ACTIVE_STATES,
        Math.max(0, limit),
      ]);
      return rows.map(fromPgRow);
    });
  }

  async listActiveForMachine(machineId: string): Promise<OffboardRequest[]> {
    return this.run(async () => {
      const { rows } = await this.pool.query<PgRequestRow>(SQL.activeForMachine, [
        machineKey(machineId),
        ACTIVE_STATES,
      ]);
      return rows.map(fromPgRow);
    });
  }

  async audit(options: { since?: string } = {}): Promise<AuditRecord[]> {
    return this.run(async () => {
      const { rows } =
        options.since === undefined
          ? await this.pool.query<PgAuditRow>(SQL.audit)
          : await this.pool.query<PgAuditRow>(SQL.auditSince, [options.since]);
      return rows.map(fromPgAuditRow);
    });
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    return this.run(async () => {
      const { rows } = await this.pool.query<{ token: string }>(SQL.acquireLease, [name, owner, ttlMs]);
      return rows[0] ? { name, owner, token: Number(rows[0].token) } : undefined;
    });
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
    return this.run(async () => {
      const { rowCount } = await this.pool.query(SQL.renewLease, [
        lease.name,
        lease.owner,
        lease.token,
        ttlMs,
      ]);
      return rowCount === 1;
    });
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.run(() => this.pool.query(SQL.releaseLease, [lease.name, lease.owner, lease.token]));
  }

  async ping(): Promise<void> {
    await this.run(() => this.pool.query(SQL.ping));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
    this.logger.info({ database: this.database }, 'request store closed');
  }

  /** Rewrites the target rows; a row the unique index skips means the device is busy. */
  private async writeTargets(c: PoolClient, r: OffboardRequest): Promise<void> {
    for (const key of machineKeys(r)) {
      const { rowCount } = await c.query(SQL.insertTarget, [r.id, key, r.state]);
      if (rowCount === 1) continue;
      const { rows } = await c.query<{ request_id: string }>(SQL.activeHolder, [key, r.id, ACTIVE_STATES]);
      throw new DeviceBusyError(key, rows[0]?.request_id);
    }
  }

  private async appendAudit(
    c: PoolClient,
    requestId: string,
    entries: readonly HistoryEntry[],
  ): Promise<void> {
    const recordedAt = isoTime(this.clock);
    for (const e of entries) {
      await c.query(SQL.appendAudit, [
        requestId,
        e.at,
        e.event,
        e.actor,
        e.actorName ?? null,
        e.conversationId ?? null,
        e.detail === undefined ? null : JSON.stringify(e.detail),
        recordedAt,
      ]);
    }
  }

  /** One transaction on one pooled connection; any throw rolls it back. */
  private transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.run(() => inTransaction(this.pool, fn));
  }

  /** Maps "the database is unusable" failures to StoreUnavailableError; others pass through. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed)
      throw new StoreUnavailableError(`DATABASE_URL ${this.database}: the request store is closed`);
    try {
      return await fn();
    } catch (e) {
      if (!isUnavailablePgError(e)) throw e;
      const err = pgUnavailable(this.url, 'request store read or write failed', e);
      this.logger.error(
        { database: this.database, error: err.message },
        'request store write or read failed',
      );
      throw err;
    }
  }
}
