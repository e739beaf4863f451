import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_TOKEN } from '../../sandbox/runtime';
import { openSqliteStore } from '../../bot/store';
import { startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { actionsOn, offboardPosts } from './defender-log';
import { offboardableDevices } from './devices';
import { startHttpGate, type HttpGate } from './http-gate';
import { countBy, groups, pick, seeded, shuffle } from './random';
import * as teams from './teams-driver';
import {
  driveToKillPoints,
  expectIntact,
  finish,
  KILL_POINTS,
  type CrashWorld,
  type Req,
} from './crash-steps';

/**
 * Crash safety (issue 5, §1): the real bot (`index.ts`) in a child process, SIGKILLed at
 * each step of the flow, restarted on the same data folder. Several requests share one
 * child lifetime, each held at its own kill point, so every kill hits a mix:
 * - stored: the card has just reached Teams (the bot may not have recorded its id);
 * - firstApproval: one of two approvals stored;
 * - beforePost: approved, the executor's pre-check (list Offboard actions) held at a
 *   gate in front of the simulator, so the POST has not been sent;
 * - afterPost: the simulator created the action, its answer is held: Defender did the
 *   work, the bot never learned the action id;
 * - tracking: the action id is stored and the first status check has happened (later
 *   checks are held at the gate, so the kill always finds the request still tracking).
 * After each restart the test finishes the flows by clicking on, and checks Defender
 * saw exactly one offboard POST per request.
 */
jest.setTimeout(240_000);

let sim: DefenderSimulator;
let gate: HttpGate;
let connector: FakeConnector;
let dataDir: string;
let bot: ChildBot;
let t: teams.Teams;
let world: CrashWorld;
const logs: string[] = [];

beforeAll(async () => {
  sim = await startDefenderSimulator({
    actionSeconds: 2,
    limits: { perMinute: 100_000, perHour: 1_000_000 },
    acceptToken: (token) => token === SANDBOX_TOKEN,
  });
  gate = await startHttpGate(sim.url);
  connector = await startFakeConnector();
  t = { connector, serviceUrl: connector.url, botUrl: () => bot.url };
  dataDir = mkdtempSync(join(tmpdir(), 'offboarder-crash-'));
  world = { sim, gate, t, dataDir };
});

afterAll(async () => {
  await killAllChildBots();
  await gate?.close();
  await connector?.close();
  await sim?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const startBot = () =>
  startChildBot({
    logs,
    env: {
      PLAYGROUND: 'false',
      PORT: '0',
      DATA_DIR: dataDir,
      SIMULATOR_URL: gate.url,
      TRACKING_FIRST_CHECK_SECONDS: '1',
      TRACKING_MAX_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'debug',
      // Many requests at once: the client's own spacing would only slow the test down.
      MDE_RATE_PER_MINUTE: '6000',
      MDE_RATE_PER_HOUR: '100000',
    },
  });

it('survives SIGKILL at every step: every request completes, with exactly one offboard POST each', async () => {
  const started = Date.now();
  const { seed, rng } = seeded('CRASH_SEED');
  const devices = offboardableDevices();
  expect(devices.length).toBeGreaterThanOrEqual(20);
  // Every kill point at least once, the rest drawn at random.
  const kills = shuffle(rng, [
    ...KILL_POINTS,
    ...devices.slice(KILL_POINTS.length).map(() => pick(rng, KILL_POINTS)),
  ]);
  const reqs: Req[] = devices.map((device, n) => ({
    n,
    device,
    kill: kills[n]!,
    requester: rng() < 0.5 ? 'alex' : 'blair',
    rootId: `crash-${seed}-${n}`,
  }));
  const rounds = groups(rng, reqs, 2, 5);
  console.log(
    `crash-safety: seed ${seed} (repeat with CRASH_SEED=${seed}), ${reqs.length} requests in ${rounds.length} rounds`,
  );

  let intact = 0;
  bot = await startBot();
  for (const round of rounds) {
    await driveToKillPoints(world, round);
    await bot.kill();
    intact += await expectIntact(world, round);
    gate.clear();
    bot = await startBot();
    await finish(world, round);
  }
  await bot.stop();

  const store = openSqliteStore({ dataDir });
  const audit = await store.audit();
  const results = [];
  for (const r of reqs) {
    const s = (await store.get(r.requestId!))!;
    const e = s.targets[0]!.execution;
    const actions = actionsOn(sim, r.device.id);
    const notices = teams.finalNotices(connector, r.requestId!);
    results.push({
      n: r.n,
      kill: r.kill,
      state: s.state,
      actionStatus: e.actionStatus,
      actionIsDefenders: e.actionId !== undefined && e.actionId === actions[0]?.id,
      actions: actions.length,
      posts: offboardPosts(sim, r.device.id).length,
      finalReplies: notices.length,
      replyInThread: notices.every((a) => a.conversationId === teams.threadId(r.rootId)),
      replySaysSucceeded: notices.every((a) => /Succeeded/.test(String(a.activity.text))),
      cardSaysSucceeded: /Succeeded/.test(teams.cardNow(connector, s.conversation.cardActivityId)),
      cardUpToDate: s.delivery?.cardShownVersion === s.version,
      cards: teams.cardsIn(connector, r.rootId).length,
      adopted: audit.some((a) => a.requestId === r.requestId && a.event === 'action_found'),
    });
  }
  await store.close();

  const tokenLines = logs.filter((l) => l.includes(SANDBOX_TOKEN)).length;
  console.log(
    `crash-safety: seed ${seed}, ${reqs.length} requests on ${reqs.length} devices, ${rounds.length} SIGKILLs + restarts, ` +
      `kill points ${JSON.stringify(countBy(reqs, (r) => r.kill))}; intact at the kill ${intact}/${reqs.length}; ` +
      `completed ${results.filter((x) => x.state === 'completed' && x.actionStatus === 'Succeeded').length}/${reqs.length} (Succeeded); ` +
      `final reply in its thread ${results.filter((x) => x.finalReplies === 1 && x.replyInThread).length}/${reqs.length}; ` +
      `offboard POSTs per request: ${results.every((x) => x.posts === 1) ? 'all 1' : JSON.stringify(results.map((x) => x.posts))} ` +
      `(${results.reduce((a, x) => a + x.posts, 0)} total); actions adopted after a lost answer: ${results.filter((x) => x.adopted).length}; ` +
      `cards re-posted after a restart: ${results.reduce((a, x) => a + x.cards - 1, 0)}; ` +
      `bearer token in ${logs.length} child log lines: ${tokenLines}; ${Math.round((Date.now() - started) / 1000)} s`,
  );

  for (const x of results)
    expect(x).toEqual({
      ...x,
      state: 'completed',
      actionStatus: 'Succeeded',
      actionIsDefenders: true,
      actions: 1,
      posts: 1,
      finalReplies: 1,
      replyInThread: true,
      replySaysSucceeded: true,
      cardSaysSucceeded: true,
      cardUpToDate: true,
    });
  expect(results.filter((x) => x.kill === 'afterPost').every((x) => x.adopted)).toBe(true);
  expect(tokenLines).toBe(0);
});
