import { AppError } from '../app-error';
import type { HistoryEntry, OffboardRequest, RequestState } from '../request/model';
import type { LeaseStore, UpdateOptions } from './lease';

/**
 * Durable request store with compare-and-set. Request state lives here, not in Teams
 * AI turn state (which is saved after side effects and is unreadable outside a turn;
 * the status tracker runs outside turns) — docs/architecture.md, habit 4.
 */
export interface RequestStore extends LeaseStore {
  /**
   * Inserts a new request (version becomes 1). Throws StoreConflictError if the id exists,
   * DeviceBusyError if a target device already has an active request.
   */
  create(request: OffboardRequest): Promise<OffboardRequest>;
  get(id: string): Promise<OffboardRequest | undefined>;
  /**
   * Writes `next` only if the stored version still equals `next.version`; returns the
   * stored copy with version + 1. Throws StoreConflictError when someone else wrote first.
   * New history entries (beyond what was stored) are appended to the audit log in the
   * same transaction. Throws DeviceBusyError if, after the write, a target device would
   * have two active requests. With `fence`, throws LeaseLostError (writing nothing) when
   * that lease has changed hands since it was granted.
   */
  update(next: OffboardRequest, options?: UpdateOptions): Promise<OffboardRequest>;
  /**
   * Requests in any of these states, oldest first (used to resume after a restart).
   * `updatedSince` (ISO time) keeps only requests whose `updatedAt` is at or after it.
   */
  listByState(
    states: readonly RequestState[],
    options?: { updatedSince?: string },
  ): Promise<OffboardRequest[]>;
  /**
   * Requests that owe Teams a card update or the final notice (kept in an indexed column
   * on every write: the cost follows the work owed, not the history), most recently
   * changed first, at most `limit`. `updatedSince` (ISO time) keeps only requests whose
   * `updatedAt` is at or after it.
   */
  listDeliveryOwed(limit: number, options?: { updatedSince?: string }): Promise<OffboardRequest[]>;
  /**
   * Active requests with something due at or before `before` (ISO time): expiry while
   * open, a Defender retry (`retryAt`) while executing, a status check (`nextCheckAt`)
   * while tracking; and with `submittedBefore`, those awaiting approval, not yet
   * reminded, submitted at or before it. `states` narrows the states. Oldest first, at
   * most `limit`; an index look-up, like listDeliveryOwed.
   */
  listDue(
    before: string,
    limit: number,
    options?: { submittedBefore?: string; states?: readonly RequestState[] },
  ): Promise<OffboardRequest[]>;
  /** Active requests that target this machine (one offboard per device at a time). */
  listActiveForMachine(machineId: string): Promise<OffboardRequest[]>;
  /** The append-only audit trail, oldest first. */
  audit(options?: { since?: string }): Promise<AuditRecord[]>;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditRecord extends HistoryEntry {
  seq: number;
  requestId: string;
}

export class StoreConflictError extends Error {
  constructor(readonly requestId: string) {
    super(`request ${requestId} was changed by someone else`);
    this.name = 'StoreConflictError';
  }
}

/**
 * At most one active request (ACTIVE_STATES) per device: each store enforces it with a
 * unique index, so two replicas opening requests for one device at once cannot both win.
 */
export class DeviceBusyError extends AppError {
  constructor(
    readonly machineId: string,
    /** The active request holding the device; undefined if it finished meanwhile. */
    readonly activeRequestId: string | undefined,
  ) {
    super(
      'device_busy',
      activeRequestId
        ? { key: 'errors.deviceBusyId', params: { id: activeRequestId } }
        : { key: 'errors.deviceBusy' },
    );
    this.name = 'DeviceBusyError';
    this.message = `device ${machineId} already has an active request${activeRequestId ? ` (${activeRequestId})` : ''}`;
  }
}
