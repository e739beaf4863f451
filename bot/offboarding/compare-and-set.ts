/**
 * The one read-modify-write with compare-and-set. `plan` sees the freshest stored
 * copy each time and must be a pure function of it: on a conflict it is applied
 * again to the new copy. It returns the record to write (or none) and a result for
 * the caller, so a decision made on a stale copy is never the one that counts.
 */
import type { OffboardRequest } from '../request/model';
import { StoreConflictError, type RequestStore } from '../store/types';
import type { UpdateOptions } from '../store/lease';
import { AppError } from '../app-error';

export interface Plan<T> {
  /** What to write; undefined means "nothing to write". */
  next?: OffboardRequest;
  result: T;
}

export type CasOutcome<T> =
  | { found: false }
  /** `request` is the stored copy: the one written, or the current one when nothing was. */
  | { found: true; written: boolean; request: OffboardRequest; result: T };

export async function compareAndSet<T>(
  store: RequestStore,
  id: string,
  plan: (current: OffboardRequest) => Plan<T>,
  attempts = 8,
  options?: Pick<UpdateOptions, 'durable'>,
): Promise<CasOutcome<T>> {
  for (let i = 0; i < attempts; i++) {
    const current = await store.get(id);
    if (!current) return { found: false };
    const { next, result } = plan(current);
    if (!next) return { found: true, written: false, request: current, result };
    try {
      return { found: true, written: true, request: await store.update(next, options), result };
    } catch (e) {
      if (e instanceof StoreConflictError) continue;
      throw e;
    }
  }
  throw new AppError('busy', { key: 'errors.busy' });
}

/**
 * The common case: apply a transition (or none) and get the stored copy back.
 * `durable: false` only for delivery records (bot/store/lease.ts UpdateOptions).
 */
export async function applyChange(
  store: RequestStore,
  id: string,
  change: (current: OffboardRequest) => OffboardRequest | undefined,
  options?: Pick<UpdateOptions, 'durable'>,
): Promise<OffboardRequest | undefined> {
  const outcome = await compareAndSet(
    store,
    id,
    (cur) => ({ next: change(cur), result: undefined }),
    undefined,
    options,
  );
  return outcome.found ? outcome.request : undefined;
}
