import { VERBS } from '../../cards/verbs';
import { cardRequestId } from '../fakes/harness';
import { fleetWith } from '../resilience/devices';
import { gateCallLog, offboardPosts, retryAfterCheck } from '../resilience/defender-log';
import * as teams from '../resilience/teams-driver';
import { startReplicas, type Replicas } from '../support/replicas';

/**
 * One Defender budget for all replicas (issue 12, §3): three bot processes on one
 * PostgreSQL database share the 100-per-minute limit of each operation, against a
 * simulator that enforces it. Every request costs two `listActions` (the check at open
 * and the pre-check before the POST), so the replicas together ask for twice the
 * minute's budget: with a budget per process each would stay under its own 100 and
 * Defender would answer 429. One 429 with Retry-After is injected: no replica may call
 * that operation again before it has passed. BUDGET_REQUESTS=300 runs the full
 * size (about seven minutes); the default keeps the suite short.
 */
const REQUESTS = Number(process.env.BUDGET_REQUESTS ?? 100);
const IN_FLIGHT_MS = 500;
jest.setTimeout(120_000 + REQUESTS * 2_000);

const { fleet, added } = fleetWith(REQUESTS, 'budget');
let r: Replicas;
beforeAll(async () => {
  r = await startReplicas({
    count: 3,
    env: { MDE_RATE_PER_MINUTE: '100', MDE_RATE_PER_HOUR: '1500' },
    sim: { fleet, limits: { perMinute: 100, perHour: 1500 } },
  });
}, 120_000);
afterAll(async () => {
  const bad = r?.logs.filter((l) => /"level":(40|50|60)/.test(l) && !l.includes('SANDBOX MODE')) ?? [];
  if (bad.length) console.log(`replica warnings and errors:\n${bad.slice(0, 40).join('\n')}`);
  await r?.close();
});

/** The largest number of calls of one operation the simulator received within any 60 s. */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The request id of the first card posted in a thread; polls slowly (see below). */
async function cardIn(conversationId: string): Promise<string> {
  const end = Date.now() + 30_000 + REQUESTS * 2_000;
  for (;;) {
    // A turn whose look-up waits for the budget first answers with a text (when it will
    // run); the card follows.
    const id = r.connector.sent
      .filter((a) => a.op !== 'update' && a.conversationId === conversationId)
      .map((a) => cardRequestId(a))
      .find(Boolean);
    if (id) return id;
    if (Date.now() > end) throw new Error(`no card in ${conversationId}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function pool<T, U>(items: T[], size: number, fn: (t: T, i: number) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

it(`${REQUESTS} offboard turns and ${REQUESTS} approved requests over three replicas: no 429, no minute over 100`, async () => {
  const started = Date.now();
  r.gate.add({
    name: 'throttle once',
    match: (c) => c.method === 'GET' && c.path === '/api/machineactions',
    action: { kind: 'fail', status: 429, headers: { 'retry-after': '2' } },
    times: 1,
  });
  const ids = await pool(added, 50, async (device, n) => {
    const rootId = `budget-${n}`;
    const where = teams.thread(rootId);
    const who = n % 2 ? 'alex' : 'blair';
    // The turn waits for its device look-up's turn in the shared budget: a minute or more.
    const opened = await teams.say(r.teams, who, `offboard ${device.computerDnsName}`, where);
    expect(opened.status).toBe(200);
    const requestId = await cardIn(teams.threadId(rootId));
    expect(
      teams.accepted(await teams.click(r.teams, who, VERBS.submit, { requestId, comment: 'b' }, where)),
    ).toBe(true);
    for (const approver of ['casey', 'devon'])
      expect(teams.accepted(await teams.click(r.teams, approver, VERBS.approve, { requestId }, where))).toBe(
        true,
      );
    return requestId;
  });
  // One cheap poll for all: the simulator runs in this process and must not starve.
  const end = Date.now() + 30_000 + REQUESTS * 2_000;
  const texts = () => r.connector.sent.map((a) => String(a.activity.text ?? ''));
  while (!ids.every((id) => texts().some((t) => t.includes(`Request ${id} is finished`)))) {
    if (Date.now() > end) throw new Error('not every request finished');
    await new Promise((res) => setTimeout(res, 500));
  }
  const seconds = Math.round((Date.now() - started) / 1000);

  const byOp = new Map<string, number[]>();
  for (const c of r.sim.calls) byOp.set(c.operation, [...(byOp.get(c.operation) ?? []), c.at]);
  const busiest = Object.fromEntries([...byOp].map(([op, times]) => [op, busiestMinute(times)]));
  const calls = Object.fromEntries([...byOp].map(([op, times]) => [op, times.length]));
  const throttled = r.sim.calls.filter((c) => c.status === 429).length;
  const retryAfter = retryAfterCheck(gateCallLog(r.gate.exchanges));
  console.log(
    `replica budget: 3 replicas, ${REQUESTS} requests in ${seconds} s; calls per operation ${JSON.stringify(calls)}; ` +
      `busiest 60 s per operation ${JSON.stringify(busiest)}; simulator 429s ${throttled}; ` +
      `injected 429 (Retry-After 2 s): ${retryAfter.checked} later calls checked, arrivals inside the pause ${JSON.stringify(retryAfter.violations.map((v) => v.early.at - v.throttled.at))} ms after it`,
  );
  expect(throttled).toBe(0);
  for (const [op, most] of Object.entries(busiest))
    expect({ op, most: Math.min(most, 100) }).toEqual({ op, most });
  expect(calls.listActions).toBeGreaterThan(100);
  expect(retryAfter.throttled).toBe(1);
  // A call another replica started before the pause reached the database is already on
  // its way; from then on none may start. Half a second covers that on a loaded machine.
  const late = retryAfter.violations.filter((v) => v.early.at - v.throttled.at > IN_FLIGHT_MS);
  expect(late).toEqual([]);
  expect(added.filter((d) => offboardPosts(r.sim, d.id).length !== 1)).toEqual([]);
});
