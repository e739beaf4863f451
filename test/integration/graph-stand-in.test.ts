import { graphDirectory } from '../../bot/directory';
import { staticTokenProvider } from '../../bot/defender/token';
import { createGraphClient, GraphUnavailableError, type GraphClient } from '../../bot/graph';
import { createLogger } from '../../bot/log';
import { systemClock } from '../../bot/clock';
import { startGraphStandIn, type GraphStandIn } from '../../sandbox/graph';
import { playgroundPeople } from '../../sandbox/playground/config';
import { SANDBOX_DEFAULTS } from '../../sandbox/runtime';
import { SANDBOX_APPROVER_GROUPS, SANDBOX_GROUPS, SANDBOX_USERS, sandboxIds } from '../../sandbox/users';

/** The sandbox's Graph stand-in, through the bot's own Graph client and directory. */

const person = (key: string) => SANDBOX_USERS.find((u) => u.key === key)!.aadObjectId;
const { offboardingApprovers, serverOwners, nightOperators } = SANDBOX_GROUPS;
const ALL_GROUPS = [offboardingApprovers.id, serverOwners.id, nightOperators.id];

let graph: GraphStandIn;
let client: GraphClient;
beforeAll(async () => {
  graph = await startGraphStandIn({ acceptToken: (t) => t === 'sandbox-token', pageSize: 2 });
  client = createGraphClient({
    baseUrl: graph.url,
    tokenProvider: staticTokenProvider('sandbox-token'),
    logger: createLogger({ level: 'silent' }),
    retryDelayMs: 1,
  });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.calls.length = 0;
  graph.setFaults({});
});

describe('the sandbox roster', () => {
  it('keeps six Playground people and makes Frankie an approver only through a group', () => {
    expect(playgroundPeople()).toHaveLength(6);
    const listed = new Set([...sandboxIds('approver'), ...sandboxIds('requester')]);
    expect(listed.has(person('frankie'))).toBe(false);
    expect(SANDBOX_DEFAULTS.approverGroups).toEqual([offboardingApprovers.id]);
    expect(SANDBOX_APPROVER_GROUPS).toEqual([offboardingApprovers.id]);
  });
});

describe('checkMemberGroups', () => {
  it('answers transitive membership: Frankie is a Server Owner through Night Operators', async () => {
    expect((await client.checkMemberGroups(person('frankie'), ALL_GROUPS)).sort()).toEqual(ALL_GROUPS.sort());
    expect(await client.checkMemberGroups(person('casey'), ALL_GROUPS)).toEqual([serverOwners.id]);
    expect(await client.checkMemberGroups(person('emery'), ALL_GROUPS)).toEqual([]);
    // A person the directory does not know belongs to nothing.
    expect(await client.checkMemberGroups('00000000-0000-4000-8000-0000000000ff', ALL_GROUPS)).toEqual([]);
    expect(graph.calls.map((c) => c.status)).toEqual([200, 200, 200, 404]);
  });

  it('refuses more than 20 group ids, as Graph does; the client splits them', async () => {
    const many = Array.from(
      { length: 21 },
      (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    );
    const raw = await fetch(`${graph.url}/v1.0/users/${person('alex')}/checkMemberGroups`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds: many }),
    });
    expect(raw.status).toBe(400);
    expect(await client.checkMemberGroups(person('frankie'), [...many, serverOwners.id])).toEqual([
      serverOwners.id,
    ]);
    expect(graph.calls.slice(1).map((c) => c.status)).toEqual([200, 200]);
  });

  it('wants the bearer token', async () => {
    const res = await fetch(`${graph.url}/v1.0/users/${person('alex')}/checkMemberGroups`, {
      method: 'POST',
      body: '{"groupIds":[]}',
    });
    expect(res.status).toBe(401);
  });
});

describe('transitiveMembers', () => {
  it('pages through nested groups on its own origin', async () => {
    const members = await client.transitiveMembers(serverOwners.id);
    expect(members.sort()).toEqual([person('casey'), person('devon'), person('frankie')].sort());
    expect(graph.calls).toHaveLength(2); // pages of 2
    await expect(client.transitiveMembers('00000000-0000-4000-9000-000000000000')).rejects.toMatchObject({
      code: 'GraphBadConfiguration',
    });
  });
});

describe('faults', () => {
  it('throttles with Retry-After, then recovers', async () => {
    graph.setFaults({ throttle: { count: 1, retryAfterSeconds: 9 } });
    const e = await client.checkMemberGroups(person('frankie'), ALL_GROUPS).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GraphUnavailableError);
    expect((e as GraphUnavailableError).retryAfterMs).toBe(9000);
    expect(await client.checkMemberGroups(person('casey'), ALL_GROUPS)).toEqual([serverOwners.id]);
  });

  it('is down until told otherwise; the client tries twice and gives up', async () => {
    graph.setFaults({ down: true });
    await expect(client.checkMemberGroups(person('frankie'), ALL_GROUPS)).rejects.toBeInstanceOf(
      GraphUnavailableError,
    );
    expect(graph.calls.map((c) => c.status)).toEqual([503, 503]);
  });
});

describe('the directory over the stand-in', () => {
  it('lets Frankie approve through the sandbox approver group, live and from cache', async () => {
    const dir = graphDirectory({ graph: client, clock: systemClock, cacheMs: 60_000 });
    const approvers = { users: SANDBOX_DEFAULTS.approvers, groups: SANDBOX_DEFAULTS.approverGroups ?? [] };
    expect(await dir.isMember(person('frankie'), approvers, { live: true })).toBe(true);
    expect(await dir.isMember(person('emery'), approvers, { live: true })).toBe(false);
    graph.setFaults({ down: true });
    // Display may use the cache; a deciding check may not.
    expect(await dir.isMember(person('frankie'), approvers, { live: false })).toBe(true);
    await expect(dir.isMember(person('frankie'), approvers, { live: true })).rejects.toBeInstanceOf(
      GraphUnavailableError,
    );
  });
});

it('listens on loopback only', async () => {
  await expect(startGraphStandIn({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
});
