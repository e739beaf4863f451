/**
 * The sandbox's directory as Graph sees it: people from SANDBOX_USERS, groups from
 * SANDBOX_GROUPS, membership transitive through nested groups (cycles tolerated).
 */
import { SANDBOX_GROUPS, SANDBOX_USERS, type SandboxGroup, type SandboxUser } from '../users';

export interface StandInDirectory {
  users: readonly Pick<SandboxUser, 'key' | 'aadObjectId'>[];
  groups: readonly SandboxGroup[];
}

export const SANDBOX_DIRECTORY: StandInDirectory = {
  users: SANDBOX_USERS,
  groups: Object.values(SANDBOX_GROUPS),
};

/** Object ids of every user in the group, nested groups included; undefined for an unknown group. */
export function transitiveUsers(dir: StandInDirectory, groupId: string): string[] | undefined {
  const byId = new Map(dir.groups.map((g) => [g.id.toLowerCase(), g]));
  const start = byId.get(groupId.toLowerCase());
  if (!start) return undefined;
  const idOf = new Map(dir.users.map((u) => [u.key, u.aadObjectId.toLowerCase()]));
  const seen = new Set<string>();
  const users = new Set<string>();
  const visit = (g: SandboxGroup) => {
    if (seen.has(g.id)) return;
    seen.add(g.id);
    for (const key of g.users) {
      const id = idOf.get(key);
      if (id) users.add(id);
    }
    for (const nested of g.groups) {
      const n = byId.get(nested.toLowerCase());
      if (n) visit(n);
    }
  };
  visit(start);
  return [...users];
}

export function knowsUser(dir: StandInDirectory, objectId: string): boolean {
  return dir.users.some((u) => u.aadObjectId.toLowerCase() === objectId.toLowerCase());
}
