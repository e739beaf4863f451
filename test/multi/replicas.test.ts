import { openPostgresStore } from '../../bot/store/postgres';
import { VERBS } from '../../cards/verbs';
import type { SimMachine } from '../../sandbox/defender';
import { actionsOn, offboardPosts } from '../resilience/defender-log';
import { offboardableDevices } from '../resilience/devices';
import * as teams from '../resilience/teams-driver';
import { LEASE_SECONDS, startReplicas, type Replicas } from '../support/replicas';

/**
 * Replicas (issue 12, §2 and §4): two and three real bot processes on one PostgreSQL
 * database, every activity sent to the next replica in turn. The clicks of one request
 * land on different replicas, approvals race on different replicas, and the replica
 * holding a request's lease is SIGKILLed before the POST, after the POST before its
 * answer is stored, and while tracking. Every request completes with exactly one
 * offboard POST and one final reply.
 */
jest.setTimeout(180_000);

interface Outcome {
  device: string;
  state?: string;
  actionStatus?: string;
  posts: number;
  actions: number;
  finalReplies: number;
  adopted?: boolean;
}

async function outcomes(r: Replicas, reqs: Array<{ requestId: string; device: SimMachine }>) {
  const store = await openPostgresStore({ databaseUrl: r.databaseUrl });
  try {
    const audit = await store.audit();
    const out: Outcome[] = [];
    for (const { requestId, device } of reqs) {
      const s = await store.get(requestId);
      out.push({
        device: device.computerDnsName,
        state: s?.state,
        actionStatus: s?.targets[0]?.execution.actionStatus,
        posts: offboardPosts(r.sim, device.id).length,
        actions: actionsOn(r.sim, device.id).length,
        finalReplies: teams.finalNotices(r.connector, requestId).length,
        adopted: audit.some((a) => a.requestId === requestId && a.event === 'action_found'),
      });
    }
    return out;
  } finally {
    await store.close();
  }
}

const done = (o: Outcome) => ({
  ...o,
  state: 'completed',
  actionStatus: 'Succeeded',
  posts: 1,
  actions: 1,
  finalReplies: 1,
});

/** Open, submit and approve twice: every click on the next replica, both approvals twice and at once. */
async function raceOnReplicas(r: Replicas, devices: SimMachine[], tag: string) {
  const t = r.teams;
  return Promise.all(
    devices.map(async (device, n) => {
      const rootId = `${tag}-${n}`;
      const where = teams.thread(rootId);
      const requestId = await teams.open(t, 'alex', device.computerDnsName, rootId);
      const submit = await teams.click(t, 'alex', VERBS.submit, { requestId, comment: tag }, where);
      expect(teams.accepted(submit)).toBe(true);
      const clicks = await Promise.all(
        ['casey', 'devon', 'casey', 'devon'].map((who) =>
          teams.click(t, who, VERBS.approve, { requestId }, where),
        ),
      );
      expect(clicks.map((c) => c.status)).toEqual([200, 200, 200, 200]);
      await teams.waitFinal(r.connector, requestId, 60_000);
      return { requestId, device };
    }),
  );
}

describe.each([2, 3])('%i replicas on one PostgreSQL database', (count) => {
  let r: Replicas;
  beforeAll(async () => {
    r = await startReplicas({ count });
  }, 120_000);
  afterAll(() => r?.close());

  it('clicks of one request on different replicas, approvals racing on different replicas: one POST and one reply each', async () => {
    const devices = offboardableDevices().slice(count * 4, count * 4 + 6);
    const reqs = await raceOnReplicas(r, devices, `race${count}`);
    // Let any late duplicate (a second executor, a second notice) show up before counting.
    await new Promise((res) => setTimeout(res, 2_000));
    for (const o of await outcomes(r, reqs)) expect(o).toEqual(done(o));
  });

  if (count !== 3) return;

  it('SIGKILL of the lease holder before the POST, after the POST, and while tracking: the others finish each request once', async () => {
    const [before, after, tracking] = offboardableDevices().slice(0, 3) as [
      SimMachine,
      SimMachine,
      SimMachine,
    ];
    const victim = r.teamsAt(0);
    const prepared = await Promise.all(
      [before, after, tracking].map(async (device, n) => {
        const rootId = `kill-${n}`;
        // Opened and approved once on the other replicas; the deciding click goes to the victim.
        const requestId = await teams.oneApprovalAway(r.teams, device.computerDnsName, rootId);
        return { requestId, device, rootId };
      }),
    );
    const [pBefore, pAfter, pTracking] = prepared as [
      (typeof prepared)[0],
      (typeof prepared)[0],
      (typeof prepared)[0],
    ];

    r.gate.add({
      name: 'pre-check',
      match: (c) => c.method === 'GET' && c.path === '/api/machineactions' && c.query.includes(before.id),
      action: { kind: 'holdRequest' },
    });
    r.gate.add({
      name: 'post',
      match: (c) => c.method === 'POST' && c.path === `/api/machines/${after.id}/offboard`,
      action: { kind: 'holdResponse' },
    });
    await Promise.all([
      teams.decide(victim, pBefore.requestId, pBefore.rootId),
      teams.decide(victim, pAfter.requestId, pAfter.rootId),
      (async () => {
        await teams.decide(victim, pTracking.requestId, pTracking.rootId);
        await teams.until(() => {
          const action = actionsOn(r.sim, tracking.id)[0];
          return Boolean(
            action && r.sim.calls.some((c) => c.operation === 'getAction' && c.path.includes(action.id)),
          );
        }, 'the first status check');
        const action = actionsOn(r.sim, tracking.id)[0]!;
        r.gate.add({
          name: 'status',
          match: (c) => c.method === 'GET' && c.path === `/api/machineactions/${action.id}`,
          action: { kind: 'holdRequest' },
        });
      })(),
    ]);
    await teams.until(() => r.gate.hits('pre-check').length > 0, 'the held pre-check');
    await teams.until(
      () => r.gate.hits('post').some((e) => e.upstreamStatus === 201),
      "Defender's answer to the held POST",
    );
    await teams.until(() => r.gate.hits('status').length > 0, 'a held status check');

    await r.kill(0);
    const killedAt = Date.now();
    r.gate.clear();
    await Promise.all(prepared.map((p) => teams.waitFinal(r.connector, p.requestId, 60_000)));
    const takeOverMs = Date.now() - killedAt;
    await new Promise((res) => setTimeout(res, 2_000));

    const [oBefore, oAfter, oTracking] = (await outcomes(r, prepared)) as [Outcome, Outcome, Outcome];
    console.log(
      `replicas: lease ${LEASE_SECONDS} s; all three requests finished by the survivors ${takeOverMs} ms after the SIGKILL`,
    );
    expect(oBefore).toEqual(done(oBefore));
    expect(oAfter).toEqual({ ...done(oAfter), adopted: true });
    expect(oTracking).toEqual(done(oTracking));
  });
});
