/**
 * Who may do something: listed people and Entra groups; a person qualifies through
 * either (docs/directory.md, "Groups and Graph"). Ids are Entra object ids.
 */
export interface Audience {
  users: readonly string[];
  groups: readonly string[];
}

export interface MembershipCheck {
  /** True for the deciding approval and the check right before the Defender POST: ask
   * Graph now. False for display (cards, lists): a cached answer will do. */
  live: boolean;
}

/**
 * The port the request flow uses. Implementations throw GraphError (bot/graph) when
 * membership cannot be confirmed; the caller then counts nothing and keeps nothing.
 */
export interface Directory {
  isMember(personObjectId: string, audience: Audience, check: MembershipCheck): Promise<boolean>;
  /** Everyone in the audience: its users plus every user in its groups, nested groups included. */
  members(audience: Audience, check: MembershipCheck): Promise<ReadonlySet<string>>;
  /** Synchronous, for rendering: true or false when known (listed, or cached), else undefined. */
  cached(personObjectId: string, audience: Audience): boolean | undefined;
}

export const EMPTY_AUDIENCE: Audience = { users: [], groups: [] };

/** Lower-cased, de-duplicated copy: every comparison in this project is on lower-case ids. */
export function normalAudience(a: Audience): Audience {
  const clean = (ids: readonly string[]) => [
    ...new Set(ids.map((s) => s.trim().toLowerCase()).filter(Boolean)),
  ];
  return { users: clean(a.users), groups: clean(a.groups) };
}
