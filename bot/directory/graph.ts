/**
 * The Graph-backed directory: listed people first (no call), then transitive group
 * membership from Microsoft Graph. Non-live answers may come from a cache kept for
 * GROUP_CACHE_SECONDS; live checks always ask Graph and refresh the cache
 * (docs/directory.md, "Groups and Graph"). Errors from Graph propagate unchanged.
 */
import type { Clock } from '../clock';
import type { GraphClient } from '../graph/client';
import { normalAudience, type Directory } from './types';

export interface GraphDirectoryOptions {
  graph: Pick<GraphClient, 'checkMemberGroups' | 'transitiveMembers'>;
  clock: Clock;
  /** How long a membership answer may be shown without asking again. 0 turns caching off. */
  cacheMs: number;
  /** Bound on cached answers; the oldest are dropped first. Default 10,000. */
  maxEntries?: number;
}

interface Entry<T> {
  value: T;
  until: number;
}

export function graphDirectory(options: GraphDirectoryOptions): Directory {
  const { graph, clock, cacheMs } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  /** `${person} ${group}` → is the person in the group. */
  const memberOf = new Map<string, Entry<boolean>>();
  /** group → its users. */
  const groupMembers = new Map<string, Entry<ReadonlySet<string>>>();

  function put<T>(map: Map<string, Entry<T>>, key: string, value: T): void {
    if (cacheMs <= 0) return;
    map.delete(key); // re-inserted last: Map order is age order
    map.set(key, { value, until: clock.now() + cacheMs });
    while (map.size > maxEntries) map.delete(map.keys().next().value as string);
  }
  function fresh<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (clock.now() < e.until) return e.value;
    map.delete(key);
    return undefined;
  }

  return {
    async isMember(person, audience, check) {
      const id = person.toLowerCase();
      const a = normalAudience(audience);
      if (a.users.includes(id)) return true;
      if (!a.groups.length) return false;
      let ask = a.groups;
      if (!check.live) {
        const known = a.groups.map((g) => fresh(memberOf, `${id} ${g}`));
        if (known.includes(true)) return true;
        ask = a.groups.filter((_, i) => known[i] === undefined);
        if (!ask.length) return false;
      }
      const found = new Set(await graph.checkMemberGroups(id, ask));
      for (const g of ask) put(memberOf, `${id} ${g}`, found.has(g));
      return found.size > 0;
    },

    cached(person, audience) {
      const id = person.toLowerCase();
      const a = normalAudience(audience);
      if (a.users.includes(id)) return true;
      const known = a.groups.map((g) => fresh(memberOf, `${id} ${g}`));
      if (known.includes(true)) return true;
      return known.every((k) => k === false) ? false : undefined;
    },

    async members(audience, check) {
      const a = normalAudience(audience);
      const all = new Set(a.users);
      for (const g of a.groups) {
        let users = check.live ? undefined : fresh(groupMembers, g);
        if (!users) {
          users = new Set(await graph.transitiveMembers(g));
          put(groupMembers, g, users);
        }
        for (const u of users) all.add(u);
      }
      return all;
    },
  };
}
