import { graphDirectory } from '../../bot/directory';
import { createGraphClient } from '../../bot/graph';
import { createLogger } from '../../bot/log';
import type { PolicySettings } from '../../bot/offboarding/ports';
import { approversAmong, stillApproverNames } from '../../bot/offboarding/rules';
import type { Person } from '../../bot/request/model';
import { createCardViewers } from '../../bot/teams/card-viewers';
import { MAX_VIEW_USERS } from '../../cards/request-card';
import { startGraphStandIn, type GraphStandIn } from '../../sandbox/graph';
import { manualClock } from '../fakes/manual-clock';
import { approval, request } from '../fakes/requests';

/**
 * Who gets their own card view, and who can still approve (issue #13, part 3): the rule's
 * approvers in the order of its list (users, then each group's members from Graph's
 * transitiveMembers, cached), mapped to Teams ids through the conversation's roster.
 * Graph here is the sandbox's stand-in over HTTP, with a directory of 75 people.
 */
const oid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const G1 = oid(901);
const G2 = oid(902);
const REQUESTER = oid(1);
const N = 75;
const keys = Array.from({ length: N }, (_, i) => `p${i + 1}`);
const person = (n: number): Person => ({ aadObjectId: oid(n), name: `Person ${n}`, teamsId: `29:p${n}` });
// Listed approvers 50 and 7 (in that order); G1 holds 10..44 (the requester too), G2 nests
// G1 and adds 45..75: more than 60 qualify.
const directory = {
  users: keys.map((key, i) => ({ key, aadObjectId: oid(i + 1) })),
  groups: [
    { id: G1, name: 'G1', users: ['p1', ...keys.slice(9, 44)], groups: [] },
    { id: G2, name: 'G2', users: keys.slice(44), groups: [G1] },
  ],
};
// The roster lists everyone in reverse: roster order must not decide.
const roster: Person[] = Array.from({ length: N }, (_, i) => person(N - i));

let graph: GraphStandIn;
beforeAll(async () => {
  graph = await startGraphStandIn({ directory, pageSize: 16 });
});
afterAll(() => graph.close());

const logger = createLogger({ level: 'silent' });

function settings(clock = manualClock()): PolicySettings {
  const client = createGraphClient({
    baseUrl: graph.url,
    tokenProvider: { getToken: async () => 'token' },
    logger,
    retries: 0,
  });
  const env = {
    requesters: { users: [REQUESTER], groups: [] },
    approvers: { users: [oid(50), oid(7)], groups: [G1, G2] },
    approvalsRequired: 2,
  };
  return {
    roster: { requesters: new Set(), approvers: new Set(), allowedTenantIds: new Set(['tenant-1']) },
    approvalsRequired: 2,
    ttlMs: 3600_000,
    draftTtlMs: 600_000,
    directory: { directory: graphDirectory({ graph: client, clock, cacheMs: 300_000 }), env },
  };
}

const awaiting = () =>
  request({ state: 'awaiting_approval', requester: person(1), approvals: [approval(person(50), -60_000)] });
const memberCalls = () => graph.calls.filter((c) => c.path.includes('/transitiveMembers/')).length;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** The rule's order: listed 50 and 7, then G1 (1, 10..44), then G2 (45..75, G1's already in). */
const RULE_ORDER = [...new Set([50, 7, 1, ...range(10, 44), ...range(45, 75)])];

it('lists the rule approvers in the order of its list: users, then each group in turn', async () => {
  graph.setFaults({});
  const { people, unknown } = await approversAmong(settings(), awaiting(), roster);
  expect(people.map((p) => p.aadObjectId)).toEqual(RULE_ORDER.map(oid));
  expect(unknown).toEqual([]);
});

it('keeps the requester first, then at most 60 in rule order, not roster order', async () => {
  graph.setFaults({});
  const clock = manualClock();
  const viewers = createCardViewers({
    roster: async () => roster,
    approvers: (r, members) => approversAmong(settings(clock), r, members),
    stillApprovers: (r, members) => stillApproverNames(settings(clock), r, members),
    clock,
    logger,
    cacheMs: 300_000,
  });
  const ids = await viewers.userIds(awaiting());
  expect(ids).toHaveLength(MAX_VIEW_USERS);
  const order = [1, ...RULE_ORDER.filter((n) => n !== 1)].slice(0, MAX_VIEW_USERS);
  expect(ids).toEqual(order.map((n) => `29:p${n}`));
  expect(ids.at(-1)).toBe('29:p67');
});

it('expands each group once per cache period, following nextLink pages', async () => {
  graph.setFaults({});
  const clock = manualClock();
  const s = settings(clock);
  const before = memberCalls();
  await approversAmong(s, awaiting(), roster);
  // G1: 36 users in 3 pages of 16; G2: 67 users in 5 pages.
  expect(memberCalls() - before).toBe(3 + 5);
  await approversAmong(s, awaiting(), roster);
  expect(memberCalls() - before).toBe(8);
  clock.advance(300_001);
  await approversAmong(s, awaiting(), roster);
  expect(memberCalls() - before).toBe(16);
});

it('names who can still approve, in rule order, without the requester and who approved', async () => {
  graph.setFaults({});
  // The roster's first 30 are people 75 down to 46; 50 has approved.
  const names = await stillApproverNames(settings(), awaiting(), roster.slice(0, 30));
  expect(names).toEqual([...range(46, 49), ...range(51, 75)].map((n) => `Person ${n}`));
  const few = [person(12), person(7), person(50), person(1), person(3)];
  expect(await stillApproverNames(settings(), awaiting(), few)).toEqual(['Person 7', 'Person 12']);
});

it('when Graph cannot expand a group, gives unknown people a view of their own after the known ones', async () => {
  graph.setFaults({ down: true });
  try {
    const clock = manualClock();
    const s = settings(clock);
    const few = [person(3), person(7), person(1), person(50)];
    const found = await approversAmong(s, awaiting(), few);
    expect(found.people.map((p) => p.aadObjectId)).toEqual([oid(50), oid(7)]);
    expect(found.unknown.map((p) => p.aadObjectId)).toEqual([oid(3), oid(1)]);
    const viewers = createCardViewers({
      roster: async () => few,
      approvers: (r, members) => approversAmong(s, r, members),
      stillApprovers: (r, members) => stillApproverNames(s, r, members),
      clock,
      logger,
      cacheMs: 0,
    });
    expect(await viewers.userIds(awaiting())).toEqual(['29:p1', '29:p50', '29:p7', '29:p3']);
    // Names are only for people known to qualify.
    expect(await stillApproverNames(s, awaiting(), few)).toEqual(['Person 7']);
    expect(await viewers.stillApproverNames(awaiting())).toEqual(['Person 7']);
  } finally {
    graph.setFaults({});
  }
});
