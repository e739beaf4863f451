import { openSqliteStore } from '../../bot/store';
import { VERBS } from '../../cards/verbs';
import type { DefenderSimulator, SimMachine } from '../../sandbox/defender';
import { cardRequestId } from '../fakes/harness';
import { user } from '../fakes/teams';
import { actionsOn, offboardPosts } from './defender-log';
import type { HttpGate } from './http-gate';
import * as teams from './teams-driver';

/**
 * The steps of the crash test (crash.test.ts): bring a round of requests to their kill
 * points, check the store right after the kill, and finish the flows after the restart.
 */
export type KillPoint = 'stored' | 'firstApproval' | 'beforePost' | 'afterPost' | 'tracking';
export const KILL_POINTS: readonly KillPoint[] = [
  'stored',
  'firstApproval',
  'beforePost',
  'afterPost',
  'tracking',
];

export interface Req {
  n: number;
  device: SimMachine;
  kill: KillPoint;
  requester: 'alex' | 'blair';
  rootId: string;
  requestId?: string;
}

/** What the steps work on: the simulator, the gate in front of it, Teams, the data folder. */
export interface CrashWorld {
  sim: DefenderSimulator;
  gate: HttpGate;
  t: teams.Teams;
  dataDir: string;
}

const submit = async (w: CrashWorld, r: Req) => {
  const res = await teams.click(
    w.t,
    r.requester,
    VERBS.submit,
    { requestId: r.requestId, comment: `crash test ${r.n}` },
    teams.thread(r.rootId),
  );
  expect({ submit: r.n, accepted: teams.accepted(res) }).toEqual({ submit: r.n, accepted: true });
};
const approve = async (w: CrashWorld, r: Req, who: 'casey' | 'devon') => {
  const res = await teams.click(w.t, who, VERBS.approve, { requestId: r.requestId }, teams.thread(r.rootId));
  expect({ approve: r.n, who, accepted: teams.accepted(res) }).toEqual({ approve: r.n, who, accepted: true });
};

export async function driveToKillPoints(w: CrashWorld, round: Req[]): Promise<void> {
  const at = (k: KillPoint) => round.filter((r) => r.kill === k);
  await Promise.all(
    round
      .filter((r) => r.kill !== 'stored')
      .map(async (r) => {
        r.requestId = await teams.open(w.t, r.requester, r.device.computerDnsName, r.rootId);
        await submit(w, r);
        await approve(w, r, 'casey');
      }),
  );
  await Promise.all([
    ...at('tracking').map(async (r) => {
      await approve(w, r, 'devon');
      await teams.until(() => {
        const action = actionsOn(w.sim, r.device.id)[0];
        return Boolean(
          action && w.sim.calls.some((c) => c.operation === 'getAction' && c.path.includes(action.id)),
        );
      }, `the first status check of request ${r.n}`);
      // Later checks wait at the gate, so the action cannot be seen finished before the kill.
      const action = actionsOn(w.sim, r.device.id)[0]!;
      w.gate.add({
        name: `status ${r.n}`,
        match: (c) => c.method === 'GET' && c.path === `/api/machineactions/${action.id}`,
        action: { kind: 'holdRequest' },
      });
    }),
    ...at('beforePost').map(async (r) => {
      const name = `pre-check ${r.n}`;
      w.gate.add({
        name,
        match: (c) => c.method === 'GET' && c.path === '/api/machineactions' && c.query.includes(r.device.id),
        action: { kind: 'holdRequest' },
      });
      await approve(w, r, 'devon');
      await teams.until(() => w.gate.hits(name).length > 0, `the held pre-check of request ${r.n}`);
    }),
    ...at('afterPost').map(async (r) => {
      const name = `post ${r.n}`;
      w.gate.add({
        name,
        match: (c) => c.method === 'POST' && c.path === `/api/machines/${r.device.id}/offboard`,
        action: { kind: 'holdResponse' },
      });
      await approve(w, r, 'devon');
      await teams.until(
        () => w.gate.hits(name).some((e) => e.upstreamStatus === 201),
        `Defender's answer to the POST of request ${r.n}`,
      );
    }),
  ]);
  const stored = at('stored');
  for (const r of stored)
    // Not awaited: the kill may cut this very turn short.
    void teams
      .say(w.t, r.requester, `offboard ${r.device.computerDnsName}`, teams.thread(r.rootId))
      .catch(() => undefined);
  await teams.until(
    () => stored.every((r) => teams.cardsIn(w.t.connector, r.rootId).length > 0),
    "the stored requests' cards",
    15_000,
    1,
  );
  for (const r of stored) r.requestId = cardRequestId(teams.cardsIn(w.t.connector, r.rootId)[0]!);
}

/** Right after the kill, before the restart: the store holds each request exactly at its step. */
export async function expectIntact(w: CrashWorld, round: Req[]): Promise<number> {
  const store = openSqliteStore({ dataDir: w.dataDir });
  try {
    let intact = 0;
    for (const r of round) {
      const s = (await store.get(r.requestId!))!;
      const e = s?.targets[0]?.execution;
      const action = actionsOn(w.sim, r.device.id)[0];
      const seen = {
        n: r.n,
        kill: r.kill,
        machineId: s?.targets[0]?.machineId,
        state: s?.state,
        approvers: s?.approvals.map((a) => a.by.aadObjectId),
        actionId: e?.actionId,
        posts: offboardPosts(w.sim, r.device.id).length,
      };
      const approved = [user('casey').aadObjectId, user('devon').aadObjectId];
      const want = {
        n: r.n,
        kill: r.kill,
        machineId: r.device.id,
        ...{
          stored: { state: 'draft', approvers: [], actionId: undefined, posts: 0 },
          firstApproval: {
            state: 'awaiting_approval',
            approvers: approved.slice(0, 1),
            actionId: undefined,
            posts: 0,
          },
          beforePost: { state: 'executing', approvers: approved, actionId: undefined, posts: 0 },
          afterPost: { state: 'executing', approvers: approved, actionId: undefined, posts: 1 },
          tracking: { state: 'tracking', approvers: approved, actionId: action?.id, posts: 1 },
        }[r.kill],
      };
      expect(seen).toEqual(want);
      intact++;
    }
    return intact;
  } finally {
    await store.close();
  }
}

export async function finish(w: CrashWorld, round: Req[]): Promise<void> {
  await Promise.all(
    round.map(async (r) => {
      if (r.kill === 'stored') {
        await submit(w, r);
        await approve(w, r, 'casey');
      }
      if (r.kill === 'stored' || r.kill === 'firstApproval') await approve(w, r, 'devon');
      await teams.waitFinal(w.t.connector, r.requestId!, 30_000);
    }),
  );
}
