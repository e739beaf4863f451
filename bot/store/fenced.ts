import type { OffboardRequest } from '../request/model';
import type { Lease, UpdateOptions } from './lease';
import type { RequestStore } from './types';

/** The store with every update fenced by `lease`: hand it to code that writes as the holder. */
export function fencedStore(store: RequestStore, lease: Lease): RequestStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'update')
        return (next: OffboardRequest, options?: UpdateOptions) =>
          target.update(next, { ...options, fence: lease });
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
