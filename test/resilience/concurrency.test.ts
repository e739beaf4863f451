import type { OffboardRequest } from '../../bot/request/model';
import { openSqliteStore } from '../../bot/store';
import { VERBS } from '../../cards/verbs';
import type { SimMachine } from '../../sandbox/defender';
import { startHarness, type Harness } from '../fakes/harness';
import { user } from '../fakes/teams';
import { actionsOn, offboardPosts } from './defender-log';
import { fleetWith } from './devices';
import { countBy, groups, seeded, shuffle } from './random';
import { STORMS, type Click, type Storm, type Verb } from './storms';
import * as teams from './teams-driver';

/**
 * Concurrency (issue 5, §2): many requests, each hit by a storm of simultaneous clicks
 * over real HTTP. Whatever order the clicks land in, a request executes exactly once if
 * and only if it ends approved, and its card (the last version Teams got) agrees with the
 * stored state and history.
 */
jest.setTimeout(120_000);

const PER_STORM = 10;

interface Req {
  n: number;
  storm: Storm;
  device: SimMachine;
  requester: 'alex' | 'blair';
  others: readonly [string, string, string];
  rootId: string;
  requestId?: string;
  answers: Array<Click & { accepted: boolean; message?: string }>;
}

let h: Harness;
let t: teams.Teams;
const { fleet, added } = fleetWith(STORMS.length * PER_STORM, 'conc');

beforeAll(async () => {
  h = await startHarness({
    env: { MDE_RATE_PER_MINUTE: '10000', MDE_RATE_PER_HOUR: '100000' },
    sim: { fleet, limits: { perMinute: 100_000, perHour: 1_000_000 } },
  });
  t = { connector: h.connector, serviceUrl: h.connector.url, botUrl: () => h.runtime.botUrl };
});
afterAll(() => h?.close());

const verbOf = { approve: VERBS.approve, reject: VERBS.reject, cancel: VERBS.cancel } as const;
const clickAs = (r: Req, c: Click) =>
  teams.click(
    t,
    c.who,
    verbOf[c.verb],
    { requestId: r.requestId, rejectReason: `no (${c.who})` },
    teams.thread(r.rootId),
  );

async function prepare(r: Req): Promise<void> {
  r.requestId = await teams.open(t, r.requester, r.device.computerDnsName, r.rootId);
  const submit = await teams.click(
    t,
    r.requester,
    VERBS.submit,
    { requestId: r.requestId, comment: 'storm' },
    teams.thread(r.rootId),
  );
  expect(teams.accepted(submit)).toBe(true);
  for (const who of r.others.slice(0, r.storm.before)) {
    const res = await clickAs(r, { who, verb: 'approve' });
    expect(teams.accepted(res)).toBe(true);
    r.answers.push({ who, verb: 'approve', accepted: true });
  }
}

async function storm(r: Req, clicks: Click[]): Promise<void> {
  const results = await Promise.all(clicks.map((c) => clickAs(r, c)));
  results.forEach((res, i) => {
    expect(res.status).toBe(200);
    const value = teams.invokeValue(res);
    r.answers.push({
      ...clicks[i]!,
      accepted: typeof value === 'object',
      message: typeof value === 'string' ? value : undefined,
    });
  });
}

const settled = (s: OffboardRequest | undefined) =>
  Boolean(
    s &&
    ['completed', 'failed', 'rejected', 'cancelled', 'expired'].includes(s.state) &&
    (s.state !== 'completed' || s.delivery?.finalNoticeAt) &&
    s.delivery?.cardShownVersion === s.version,
  );

it('a storm of simultaneous clicks on each of 60 requests: one execution per approved request, none otherwise', async () => {
  const started = Date.now();
  const { seed, rng } = seeded('CONCURRENCY_SEED');
  const reqs: Req[] = added.map((device, n) => {
    const requester = n % 2 === 0 ? 'alex' : 'blair';
    const others = [requester === 'alex' ? 'blair' : 'alex', 'casey', 'devon'] as const;
    return {
      n,
      storm: STORMS[n % STORMS.length]!,
      device,
      requester,
      others,
      rootId: `storm-${n}`,
      answers: [],
    };
  });
  for (const batch of groups(rng, shuffle(rng, reqs), 15, 15)) {
    await Promise.all(batch.map(prepare));
    // Every click of every request in the batch leaves at once, in a random order.
    await Promise.all(batch.map((r) => storm(r, shuffle(rng, r.storm.clicks(r.requester, r.others)))));
  }
  const stormClicks = reqs.reduce((a, r) => a + r.storm.clicks(r.requester, r.others).length, 0);

  const pending = new Set(reqs);
  const end = Date.now() + 60_000;
  while (pending.size && Date.now() < end) {
    for (const r of [...pending]) if (settled(await h.runtime.store.get(r.requestId!))) pending.delete(r);
    await new Promise((res) => setTimeout(res, 100));
  }
  await h.runtime.offboarding.idle();
  await h.runtime.stop();

  const store = openSqliteStore({ dataDir: h.dataDir });
  const rows: Array<ReturnType<typeof check>> = [];
  try {
    for (const r of reqs) rows.push(check(r, (await store.get(r.requestId!))!));
  } finally {
    await store.close();
  }

  const answers = reqs.flatMap((r) => r.answers.slice(r.storm.before));
  const busy = answers.filter((a) => /clicking at once/.test(a.message ?? '')).length;
  const states = countBy(rows, (x) => x.state);
  const byStorm = Object.fromEntries(
    STORMS.map((st) => [
      st.name,
      countBy(
        rows.filter((x) => x.storm === st.name),
        (x) => x.state,
      ),
    ]),
  );
  const executed = rows.filter((x) => x.executed);
  console.log(
    `concurrency: seed ${seed}, ${reqs.length} requests, ${STORMS.length} storm kinds × ${PER_STORM}, ` +
      `${stormClicks} simultaneous clicks (${answers.filter((a) => a.accepted).length} accepted, ` +
      `${answers.filter((a) => !a.accepted).length} refused, of which ${busy} "busy"); final states ${JSON.stringify(states)}; ` +
      `offboard POSTs: exactly 1 for ${executed.filter((x) => x.posts === 1).length}/${executed.length} executed requests, ` +
      `0 for ${rows.filter((x) => !x.executed && x.posts === 0).length}/${rows.length - executed.length} rejected/cancelled; ` +
      `cards consistent with store and history ${rows.filter((x) => x.cardConsistent).length}/${rows.length}; ` +
      `outcomes by storm ${JSON.stringify(byStorm)}; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const x of rows) expect(x).toEqual({ ...x, ...x.want });
  expect(pending.size).toBe(0);
});

/** One request's observed facts next to what they must be. */
function check(r: Req, s: OffboardRequest) {
  const count = (event: string) => s.history.filter((e) => e.event === event).length;
  const acceptedOf = (verb: Verb) => r.answers.filter((a) => a.accepted && a.verb === verb).length;
  const executed = s.state === 'completed';
  const card = teams.cardNow(h.connector, s.conversation.cardActivityId);
  const badge =
    { completed: 'Succeeded', rejected: 'Rejected', cancelled: 'Cancelled' }[s.state as string] ?? '?';
  const approvers = s.approvals.map((a) => a.by.aadObjectId);
  const cardConsistent =
    s.delivery?.cardShownVersion === s.version &&
    card.includes(`"text":"${badge}"`) &&
    s.approvals.every((a) => card.includes(a.by.name)) &&
    !card.includes(VERBS.approve) &&
    !card.includes(VERBS.reject) &&
    (s.state !== 'rejected' || card.includes(s.rejection!.by.name));
  const seen = {
    n: r.n,
    storm: r.storm.name,
    state: s.state,
    outcomeAllowed: r.storm.outcomes.includes(s.state),
    executed,
    posts: offboardPosts(h.sim, r.device.id).length,
    actions: actionsOn(h.sim, r.device.id).length,
    approvals: s.approvals.length,
    distinctApprovers: new Set(approvers).size,
    requesterApproved: approvers.includes(user(r.requester).aadObjectId),
    approvedEvents: count('approved'),
    acceptedApprovals: acceptedOf('approve'),
    executingEvents: count('executing'),
    rejectedEvents: count('rejected'),
    acceptedRejects: acceptedOf('reject'),
    cancelledEvents: count('cancelled'),
    acceptedCancels: acceptedOf('cancel'),
    finalNotices: teams.finalNotices(h.connector, s.id).length,
    cardConsistent,
  };
  const want = {
    outcomeAllowed: true,
    posts: executed ? 1 : 0,
    actions: executed ? 1 : 0,
    approvals: executed ? 2 : Math.min(s.approvals.length, 1),
    distinctApprovers: s.approvals.length,
    requesterApproved: false,
    approvedEvents: s.approvals.length,
    acceptedApprovals: s.approvals.length,
    executingEvents: executed ? 1 : 0,
    rejectedEvents: s.state === 'rejected' ? 1 : 0,
    acceptedRejects: s.state === 'rejected' ? 1 : 0,
    cancelledEvents: s.state === 'cancelled' ? 1 : 0,
    acceptedCancels: s.state === 'cancelled' ? 1 : 0,
    finalNotices: executed ? 1 : 0,
    cardConsistent: true,
  };
  return { ...seen, want };
}
