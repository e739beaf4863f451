import {
  createDirectory,
  EMPTY_AUDIENCE,
  graphDirectory,
  resolveRoster,
  staticDirectory,
  type Audience,
} from '../../bot/directory';
import type { GraphClient } from '../../bot/graph';
import { GraphUnavailableError } from '../../bot/graph';
import { manualClock } from '../fakes/manual-clock';

/** The membership port: listed people, groups via a recording Graph fake, the cache on an injected clock. */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const G1 = id(901);
const G2 = id(902);
const ALEX = id(1);
const FRANKIE = id(6);

function fakeGraph(groups: Record<string, string[]>) {
  const calls: Array<{ op: string; user?: string; groups?: string[]; group?: string }> = [];
  let failing = false;
  const graph: GraphClient = {
    async checkMemberGroups(user, groupIds) {
      calls.push({ op: 'check', user, groups: [...groupIds] });
      if (failing) throw new GraphUnavailableError('test: down', 5000);
      return groupIds.filter((g) => groups[g]?.includes(user));
    },
    async transitiveMembers(group) {
      calls.push({ op: 'members', group });
      if (failing) throw new GraphUnavailableError('test: down');
      return groups[group] ?? [];
    },
  };
  return { graph, calls, groups, fail: (on: boolean) => (failing = on) };
}

const approvers: Audience = { users: [ALEX.toUpperCase()], groups: [G1, G2] };

function setup(cacheSeconds = 300, maxEntries?: number) {
  const clock = manualClock();
  const g = fakeGraph({ [G1]: [], [G2]: [FRANKIE] });
  const dir = graphDirectory({ graph: g.graph, clock, cacheMs: cacheSeconds * 1000, maxEntries });
  return { clock, dir, ...g };
}

describe('graphDirectory.isMember', () => {
  it('lets a listed person qualify without asking Graph, live or not', async () => {
    const { dir, calls } = setup();
    expect(await dir.isMember(ALEX, approvers, { live: true })).toBe(true);
    expect(await dir.isMember(ALEX.toUpperCase(), approvers, { live: false })).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('lets a person qualify through any group', async () => {
    const { dir, calls } = setup();
    expect(await dir.isMember(FRANKIE, approvers, { live: true })).toBe(true);
    expect(calls).toEqual([{ op: 'check', user: FRANKIE, groups: [G1, G2] }]);
    expect(await dir.isMember(id(5), approvers, { live: true })).toBe(false);
  });

  it('makes no call for an audience without groups', async () => {
    const { dir, calls } = setup();
    expect(await dir.isMember(FRANKIE, { users: [ALEX], groups: [] }, { live: true })).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('serves non-live checks from the cache until GROUP_CACHE_SECONDS pass', async () => {
    const { dir, calls, clock, groups } = setup(300);
    expect(await dir.isMember(FRANKIE, approvers, { live: false })).toBe(true);
    groups[G2] = []; // Frankie leaves the group
    clock.advance(299_999);
    expect(await dir.isMember(FRANKIE, approvers, { live: false })).toBe(true);
    expect(calls).toHaveLength(1);
    clock.advance(1);
    expect(await dir.isMember(FRANKIE, approvers, { live: false })).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('always asks Graph for a live check, and the answer refreshes the cache', async () => {
    const { dir, calls, groups } = setup(300);
    expect(await dir.isMember(FRANKIE, approvers, { live: false })).toBe(true);
    groups[G2] = [];
    expect(await dir.isMember(FRANKIE, approvers, { live: true })).toBe(false);
    expect(await dir.isMember(FRANKIE, approvers, { live: false })).toBe(false);
    expect(calls.map((c) => c.op)).toEqual(['check', 'check']);
  });

  it('asks only about the groups it has no fresh answer for', async () => {
    const { dir, calls } = setup();
    const casey = id(3);
    expect(await dir.isMember(casey, { users: [], groups: [G1] }, { live: false })).toBe(false);
    expect(await dir.isMember(casey, { users: [], groups: [G1, G2] }, { live: false })).toBe(false);
    expect(calls[1]).toEqual({ op: 'check', user: casey, groups: [G2] });
    expect(await dir.isMember(casey, { users: [], groups: [G2, G1] }, { live: false })).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('caches nothing with GROUP_CACHE_SECONDS=0', async () => {
    const { dir, calls } = setup(0);
    await dir.isMember(FRANKIE, approvers, { live: false });
    await dir.isMember(FRANKIE, approvers, { live: false });
    expect(calls).toHaveLength(2);
  });

  it('passes Graph failures on and remembers nothing from them', async () => {
    const { dir, calls, fail } = setup();
    fail(true);
    await expect(dir.isMember(FRANKIE, approvers, { live: false })).rejects.toBeInstanceOf(
      GraphUnavailableError,
    );
    await expect(dir.isMember(FRANKIE, approvers, { live: true })).rejects.toMatchObject({
      retryAfterMs: 5000,
    });
    fail(false);
    expect(await dir.isMember(FRANKIE, approvers, { live: false })).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const { dir, calls } = setup(300, 2);
    const one = { users: [], groups: [G2] };
    await dir.isMember(id(11), one, { live: false });
    await dir.isMember(id(12), one, { live: false });
    await dir.isMember(id(13), one, { live: false });
    await dir.isMember(id(13), one, { live: false });
    await dir.isMember(id(12), one, { live: false });
    expect(calls).toHaveLength(3);
    await dir.isMember(id(11), one, { live: false });
    expect(calls).toHaveLength(4);
  });
});

describe('graphDirectory.members', () => {
  it('is the listed people plus every group member, cached for display', async () => {
    const { dir, calls, clock } = setup(60);
    const want = new Set([ALEX, FRANKIE]);
    expect(await dir.members(approvers, { live: false })).toEqual(want);
    expect(await dir.members(approvers, { live: false })).toEqual(want);
    expect(calls.filter((c) => c.op === 'members')).toHaveLength(2);
    await dir.members(approvers, { live: true });
    expect(calls).toHaveLength(4);
    clock.advance(60_000);
    await dir.members(approvers, { live: false });
    expect(calls).toHaveLength(6);
  });
});

describe('staticDirectory', () => {
  it('knows only listed people; a group matches nobody', async () => {
    const dir = staticDirectory();
    expect(await dir.isMember(ALEX, approvers, { live: true })).toBe(true);
    expect(await dir.isMember(FRANKIE, approvers, { live: true })).toBe(false);
    expect(await dir.members(approvers, { live: false })).toEqual(new Set([ALEX]));
  });
});

describe('resolveRoster', () => {
  it('keeps exactly the people who qualify now, asking about each once', async () => {
    const { dir, calls } = setup();
    const roster = await resolveRoster(
      dir,
      { requesters: { users: [ALEX], groups: [] }, approvers },
      { requesters: [ALEX.toUpperCase(), id(5)], approvers: [FRANKIE, id(5), FRANKIE.toUpperCase(), ALEX] },
      { live: true },
    );
    expect(roster).toEqual({ requesters: new Set([ALEX]), approvers: new Set([FRANKIE, ALEX]) });
    expect(calls.map((c) => c.user)).toEqual([FRANKIE, id(5)]);
  });

  it('answers nothing when Graph cannot be asked', async () => {
    const { dir, fail } = setup();
    fail(true);
    await expect(
      resolveRoster(
        dir,
        { requesters: EMPTY_AUDIENCE, approvers },
        { requesters: [], approvers: [FRANKIE] },
        { live: true },
      ),
    ).rejects.toBeInstanceOf(GraphUnavailableError);
  });
});

describe('createDirectory', () => {
  it('builds no Graph client when no group is configured', async () => {
    let built = 0;
    const graph = () => (built++, fakeGraph({ [G2]: [FRANKIE] }).graph);
    const none = createDirectory({ groups: [], graph, clock: manualClock(), cacheMs: 0 });
    expect(await none.isMember(FRANKIE, approvers, { live: true })).toBe(false);
    expect(built).toBe(0);
    const some = createDirectory({ groups: [G2], graph, clock: manualClock(), cacheMs: 0 });
    expect(await some.isMember(FRANKIE, approvers, { live: true })).toBe(true);
    expect(built).toBe(1);
  });
});

describe('Directory.cached (synchronous, for rendering)', () => {
  it('listed people: yes; group members: only what a check left in the cache, until it expires', async () => {
    const { dir, clock, calls } = setup(300);
    expect(dir.cached(ALEX, approvers)).toBe(true);
    expect(dir.cached(FRANKIE, approvers)).toBeUndefined();
    expect(calls).toHaveLength(0);
    await dir.isMember(FRANKIE, approvers, { live: true });
    expect(dir.cached(FRANKIE, approvers)).toBe(true);
    await dir.isMember(id(5), approvers, { live: true });
    expect(dir.cached(id(5), approvers)).toBe(false);
    clock.advance(301_000);
    expect(dir.cached(FRANKIE, approvers)).toBeUndefined();
  });

  it('the static directory knows the lists only', () => {
    const dir = staticDirectory();
    expect(dir.cached(ALEX, approvers)).toBe(true);
    expect(dir.cached(FRANKIE, approvers)).toBe(false);
    expect(dir.cached(ALEX, EMPTY_AUDIENCE)).toBe(false);
  });
});
