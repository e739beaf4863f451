/**
 * The sandbox's mock people. One source for the Playground's mock-data file, the
 * sandbox defaults of OFFBOARD_REQUESTERS / OFFBOARD_APPROVERS and the tests, so the
 * three can never disagree.
 */
export interface SandboxUser {
  key: string;
  id: string;
  aadObjectId: string;
  name: string;
  givenName: string;
  surname: string;
  upn: string;
  roles: ReadonlyArray<'requester' | 'approver'>;
  /**
   * The language of this person's Teams. The Playground sends every activity as `en-US`,
   * so with the Playground the sandbox runtime puts this on their activities instead.
   */
  locale?: string;
}

export const SANDBOX_TENANT_ID = '00000000-0000-4000-8000-00000000c0de';

const user = (n: number, givenName: string, surname: string, roles: SandboxUser['roles']): SandboxUser => {
  const aadObjectId = `00000000-0000-4000-8000-00000000000${n}`;
  return {
    key: givenName.toLowerCase(),
    id: `29:sandbox-${givenName.toLowerCase()}`,
    aadObjectId,
    name: `${givenName} ${surname}`,
    givenName,
    surname,
    upn: `${givenName.toLowerCase()}@contoso.example`,
    roles,
  };
};

/**
 * Alex is the Playground's current user: a requester who may also approve others'
 * requests. Emery has no role (refusals can be tried as Emery). Frankie is on no list:
 * Frankie approves only through the Entra group "Offboarding Approvers" (SANDBOX_GROUPS),
 * which the sandbox's Graph stand-in (sandbox/graph) answers for. Frankie's Teams is in
 * Russian: acting as Frankie shows the bot's Russian texts (docs/i18n.md). The Playground
 * allows no more than these six people, so no one new could be added for it.
 */
export const SANDBOX_USERS: readonly SandboxUser[] = [
  user(1, 'Alex', 'Rivera', ['requester', 'approver']),
  user(2, 'Blair', 'Chen', ['requester', 'approver']),
  user(3, 'Casey', 'Okafor', ['approver']),
  user(4, 'Devon', 'Larsen', ['approver']),
  user(5, 'Emery', 'Novak', []),
  // The Playground wants five people besides its current user (Alex).
  { ...user(6, 'Frankie', 'Moss', []), locale: 'ru-RU' },
];

/** The Teams language of a sandbox person, by Entra object id (see `SandboxUser.locale`). */
export function sandboxLocale(aadObjectId: string): string | undefined {
  const id = aadObjectId.toLowerCase();
  return SANDBOX_USERS.find((u) => u.aadObjectId === id)?.locale;
}

export function sandboxIds(role: 'requester' | 'approver'): string[] {
  return SANDBOX_USERS.filter((u) => u.roles.includes(role)).map((u) => u.aadObjectId);
}

export interface SandboxGroup {
  id: string;
  name: string;
  /** Direct members, by SandboxUser key. */
  users: readonly string[];
  /** Nested groups, by id: their members count too (Graph membership is transitive). */
  groups: readonly string[];
}

const groupId = (n: number) => `00000000-0000-4000-8000-0000000000b${n}`;

/** The sandbox's Entra groups, served by sandbox/graph; policy.example.yaml names Server Owners. */
export const SANDBOX_GROUPS = {
  offboardingApprovers: { id: groupId(1), name: 'Offboarding Approvers', users: ['frankie'], groups: [] },
  serverOwners: { id: groupId(2), name: 'Server Owners', users: ['casey', 'devon'], groups: [groupId(3)] },
  nightOperators: { id: groupId(3), name: 'Night Operators', users: ['frankie'], groups: [] },
} as const satisfies Record<string, SandboxGroup>;

/** The groups of OFFBOARD_APPROVER_GROUPS in the sandbox. */
export const SANDBOX_APPROVER_GROUPS: readonly string[] = [SANDBOX_GROUPS.offboardingApprovers.id];
