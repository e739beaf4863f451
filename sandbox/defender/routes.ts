/**
 * The six endpoints under /api (docs/defender-api.md). Literal segments match
 * case-insensitively, like the real service; a trailing slash is tolerated.
 */
import type { Operation } from './types';

export type Route =
  | { kind: 'op'; operation: Operation; id: string }
  | { kind: 'notFound' }
  | { kind: 'methodNotAllowed'; allow: string }
  | { kind: 'badPath' };

const TABLE: { method: string; pattern: string[]; operation: Operation }[] = [
  { method: 'GET', pattern: ['api', 'machines'], operation: 'listMachines' },
  { method: 'GET', pattern: ['api', 'machines', ':id'], operation: 'getMachine' },
  { method: 'POST', pattern: ['api', 'machines', ':id', 'offboard'], operation: 'offboard' },
  { method: 'GET', pattern: ['api', 'machineactions'], operation: 'listActions' },
  { method: 'GET', pattern: ['api', 'machineactions', ':id'], operation: 'getAction' },
  { method: 'POST', pattern: ['api', 'machineactions', ':id', 'cancel'], operation: 'cancelAction' },
];

export function matchRoute(method: string, rawPath: string): Route {
  const parts = rawPath.split('/').filter((p, i, all) => p !== '' || (i > 0 && i < all.length - 1));
  if (parts.some((p) => p === '')) return { kind: 'notFound' };
  const allowed: string[] = [];
  for (const r of TABLE) {
    if (r.pattern.length !== parts.length) continue;
    let id = '';
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const want = r.pattern[i] as string;
      const got = parts[i] as string;
      if (want === ':id') {
        try {
          id = decodeURIComponent(got);
        } catch {
          return { kind: 'badPath' };
        }
      } else ok = want === got.toLowerCase();
    }
    if (!ok) continue;
    if (r.method === method.toUpperCase()) return { kind: 'op', operation: r.operation, id };
    allowed.push(r.method);
  }
  return allowed.length > 0 ? { kind: 'methodNotAllowed', allow: allowed.join(', ') } : { kind: 'notFound' };
}
