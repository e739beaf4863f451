import type { OffboardRequest } from '../request/model';
import { StoreConflictError, type RequestStore } from '../store/types';
import { AppError } from '../app-error';

/**
 * Read-modify-write with compare-and-set, retried on conflict: `change` is applied to
 * the freshest copy each time, so it must be a pure function of the request. Returning
 * undefined means "nothing to write".
 */
export async function mutate(
  store: RequestStore,
  id: string,
  change: (r: OffboardRequest) => OffboardRequest | undefined,
  attempts = 8,
): Promise<OffboardRequest | undefined> {
  for (let i = 0; i < attempts; i++) {
    const current = await store.get(id);
    if (!current) return undefined;
    const next = change(current);
    if (!next) return current;
    try {
      return await store.update(next);
    } catch (e) {
      if (e instanceof StoreConflictError) continue;
      throw e;
    }
  }
  throw new AppError('busy', 'This request is changing very fast right now; please try again.');
}
