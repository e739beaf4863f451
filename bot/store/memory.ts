import { systemClock, type Clock } from '../clock';
import { ACTIVE_STATES, type OffboardRequest, type RequestState } from '../request/model';
import type { Lease, UpdateOptions } from './lease';
import { LocalLeases } from './lease-local';
import { RequestNotFoundError, StoreConflictError, StoreUnavailableError } from './store-errors';
import {
  appendedHistory,
  byCreatedAt,
  indexColumns,
  isDue,
  jsonCopy,
  machineKey,
  machineKeys,
  toAuditRecord,
} from './rules';
import { DeviceBusyError, type AuditRecord, type RequestStore } from './types';

/**
 * The RequestStore contract in memory, for unit tests and the no-credentials sandbox.
 * Requests are held as JSON text, so nothing a caller keeps a reference to can
 * change stored state, and reads return fresh copies exactly as the SQLite store does.
 */
export class MemoryRequestStore implements RequestStore {
  /** Insertion order is kept (Map), which is the tie-break for equal createdAt. */
  private readonly requests = new Map<string, string>();
  private readonly log: AuditRecord[] = [];
  private closed = false;
  private readonly leases: LocalLeases;

  constructor(clock: Clock = systemClock) {
    this.leases = new LocalLeases(clock);
  }

  async create(request: OffboardRequest): Promise<OffboardRequest> {
    this.assertOpen();
    if (this.requests.has(request.id)) throw new StoreConflictError(request.id);
    this.assertDevicesFree(request);
    const saved = { ...jsonCopy(request), version: 1 };
    this.requests.set(saved.id, JSON.stringify(saved));
    this.appendAudit(saved.id, saved.history);
    return jsonCopy(saved);
  }

  async get(id: string): Promise<OffboardRequest | undefined> {
    this.assertOpen();
    return this.read(id);
  }

  async update(next: OffboardRequest, options: UpdateOptions = {}): Promise<OffboardRequest> {
    this.assertOpen();
    this.leases.check(options.fence);
    const stored = this.read(next.id);
    if (!stored) throw new RequestNotFoundError(next.id);
    if (stored.version !== next.version) throw new StoreConflictError(next.id);
    const copy = jsonCopy(next);
    const added = appendedHistory(next.id, stored.history, copy.history);
    this.assertDevicesFree(copy);
    const saved = { ...copy, version: stored.version + 1 };
    this.requests.set(saved.id, JSON.stringify(saved));
    this.appendAudit(saved.id, added);
    return jsonCopy(saved);
  }

  async listByState(
    states: readonly RequestState[],
    options: { updatedSince?: string } = {},
  ): Promise<OffboardRequest[]> {
    this.assertOpen();
    const since = options.updatedSince;
    return this.all().filter((r) => states.includes(r.state) && (!since || r.updatedAt >= since));
  }

  async listDeliveryOwed(limit: number, options: { updatedSince?: string } = {}): Promise<OffboardRequest[]> {
    this.assertOpen();
    const since = options.updatedSince;
    return this.all()
      .filter((r) => indexColumns(r).deliveryOwed && (!since || r.updatedAt >= since))
      .reverse()
      .sort((a, b) => (a.updatedAt > b.updatedAt ? -1 : a.updatedAt < b.updatedAt ? 1 : 0))
      .slice(0, Math.max(0, limit));
  }

  async listDue(
    before: string,
    limit: number,
    options: { submittedBefore?: string; states?: readonly RequestState[] } = {},
  ): Promise<OffboardRequest[]> {
    this.assertOpen();
    return this.all()
      .filter((r) => isDue(r, before, options))
      .slice(0, Math.max(0, limit));
  }

  async listActiveForMachine(machineId: string): Promise<OffboardRequest[]> {
    this.assertOpen();
    const key = machineKey(machineId);
    return this.all().filter((r) => ACTIVE_STATES.includes(r.state) && machineKeys(r).includes(key));
  }

  async audit(options: { since?: string } = {}): Promise<AuditRecord[]> {
    this.assertOpen();
    const { since } = options;
    return jsonCopy(since === undefined ? this.log : this.log.filter((a) => a.at >= since));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    this.assertOpen();
    return this.leases.acquire(name, owner, ttlMs);
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    return this.leases.renew(lease, ttlMs);
  }

  async releaseLease(lease: Lease): Promise<void> {
    this.assertOpen();
    this.leases.release(lease);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private read(id: string): OffboardRequest | undefined {
    const json = this.requests.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as OffboardRequest);
  }

  private all(): OffboardRequest[] {
    return [...this.requests.values()].map((json) => JSON.parse(json) as OffboardRequest).sort(byCreatedAt);
  }

  private appendAudit(requestId: string, entries: OffboardRequest['history']): void {
    for (const entry of entries) this.log.push(toAuditRecord(this.log.length + 1, requestId, entry));
  }

  /** The durable stores' one-active-request-per-device unique index. */
  private assertDevicesFree(r: OffboardRequest): void {
    if (!ACTIVE_STATES.includes(r.state)) return;
    for (const key of machineKeys(r)) {
      const holder = this.all().find(
        (o) => o.id !== r.id && ACTIVE_STATES.includes(o.state) && machineKeys(o).includes(key),
      );
      if (holder) throw new DeviceBusyError(key, holder.id);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the in-memory request store is closed');
  }
}

export function createMemoryStore(clock?: Clock): MemoryRequestStore {
  return new MemoryRequestStore(clock);
}
