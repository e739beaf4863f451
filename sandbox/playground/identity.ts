/**
 * A second browser identity. The Playground's page has no user switcher: it acts as the
 * `currentUser` of `GET /_internal/v1/config` (and sends that id as `from.id` in its
 * messages and invokes). A browser context that rewrites that one answer is another
 * person in the same live conversations; the server checks only that the id is a member
 * of the conversation. The group chat's and team's member lists must be remapped as
 * well (members = everyone but the current user), or the page crashes
 * (docs/playground.md).
 *
 * Use with Playwright: `context.route('**\/_internal/v1/config', …)` then
 * `route.fulfill({ json: configAs(await (await route.fetch()).json(), userId) })`.
 */

interface User {
  id: string;
  [k: string]: unknown;
}

interface Roster {
  members?: string[];
  [k: string]: unknown;
}

export interface PlaygroundConfigAnswer {
  config: {
    currentUser: User;
    users: User[];
    groupChats?: Roster[];
    teams?: Roster[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export function configAs(answer: PlaygroundConfigAnswer, userId: string): PlaygroundConfigAnswer {
  const { currentUser, users } = answer.config;
  if (currentUser.id === userId) return answer;
  const target = users.find((u) => u.id === userId);
  if (!target) throw new Error(`${userId} is not one of the Playground's users`);
  const swap = (id: string) => (id === userId ? currentUser.id : id);
  const remap = (r: Roster): Roster => (r.members ? { ...r, members: r.members.map(swap) } : r);
  return {
    ...answer,
    config: {
      ...answer.config,
      currentUser: target,
      users: users.map((u) => (u.id === userId ? currentUser : u)),
      groupChats: answer.config.groupChats?.map(remap),
      teams: answer.config.teams?.map(remap),
    },
  };
}
