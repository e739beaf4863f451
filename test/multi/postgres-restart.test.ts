import type { SimMachine } from '../../sandbox/defender';
import { offboardPosts } from '../resilience/defender-log';
import { offboardableDevices } from '../resilience/devices';
import * as teams from '../resilience/teams-driver';
import { startReplicas, type Replicas } from '../support/replicas';

/**
 * PostgreSQL restarted mid-flow (issue 12, §4): two replicas, one request just approved
 * (its Defender action being followed while the database goes away) and one waiting for
 * approvals. While the server is down every replica answers /readyz with 503; once it is
 * back they answer 200 again, nothing stored is lost, and both requests finish with one
 * offboard POST and one final reply each.
 */
jest.setTimeout(120_000);

let r: Replicas;
beforeAll(async () => {
  r = await startReplicas({ count: 2 });
}, 120_000);
afterAll(() => r?.close());

const ready = (url: string) =>
  fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
    (res) => res.status,
    () => 0,
  );

it('reports not-ready while PostgreSQL is down, loses nothing, and resumes', async () => {
  const [inFlight, waiting] = offboardableDevices().slice(10, 12) as [SimMachine, SimMachine];
  const a = await teams.oneApprovalAway(r.teams, inFlight.computerDnsName, 'restart-a');
  const b = await teams.oneApprovalAway(r.teams, waiting.computerDnsName, 'restart-b');
  await teams.decide(r.teams, a, 'restart-a');

  const seen = new Map<string, Set<number>>(r.bots.map((bot) => [bot.url, new Set<number>()]));
  let polling = true;
  const poller = (async () => {
    while (polling) {
      for (const bot of r.bots) seen.get(bot.url)!.add(await ready(bot.url));
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  await r.pg.restart(4_000);
  const back = Date.now();
  for (const bot of r.bots) {
    const end = Date.now() + 30_000;
    while ((await ready(bot.url)) !== 200) {
      if (Date.now() > end) throw new Error(`${bot.url} not ready 30 s after PostgreSQL came back`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  const readyAfterMs = Date.now() - back;
  polling = false;
  await poller;

  await teams.decide(r.teams, b, 'restart-b');
  await teams.waitFinal(r.connector, a, 60_000);
  await teams.waitFinal(r.connector, b, 60_000);
  await new Promise((res) => setTimeout(res, 2_000));
  console.log(
    `postgres restart: /readyz answers seen per replica while it was down ${JSON.stringify(
      [...seen.values()].map((s) => [...s]),
    )}; ready again ${readyAfterMs} ms after the server was back`,
  );
  for (const statuses of seen.values()) expect(statuses.has(503)).toBe(true);
  for (const [id, device] of [
    [a, inFlight],
    [b, waiting],
  ] as const) {
    expect({
      id,
      posts: offboardPosts(r.sim, device.id).length,
      finalReplies: teams.finalNotices(r.connector, id).length,
      succeeded: teams.finalNotices(r.connector, id).every((n) => /Succeeded/.test(String(n.activity.text))),
    }).toEqual({ id, posts: 1, finalReplies: 1, succeeded: true });
  }
});
