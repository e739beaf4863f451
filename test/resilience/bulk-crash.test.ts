import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_TOKEN } from '../../sandbox/runtime';
import { openSqliteStore } from '../../bot/store';
import type { OffboardRequest } from '../../bot/request/model';
import { startDefenderSimulator, type DefenderSimulator, type SimMachine } from '../../sandbox/defender';
import { bulkProgress } from '../../bot/request/bulk-progress';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { BOT, conversationOf, user } from '../fakes/teams';
import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { fleetWith } from './devices';
import { offboardPosts } from './defender-log';
import { startHttpGate, type HttpGate } from './http-gate';
import { waitFinal } from './teams-driver';

/**
 * Crash safety of a bulk request: the real bot in a child process is SIGKILLed while it
 * sends 150 devices (offboard answers are delayed at the gate, so some POSTs are done at
 * Defender and unanswered at the kill, and results not yet written in a batch are lost),
 * then restarted on the same data folder. Nothing is sent twice (one POST per device),
 * nothing is forgotten (every device ends, the request completes with one final reply).
 */
jest.setTimeout(180_000);

const DEVICES = 150;
const ROOT_ID = 'bulk-crash-1';

let sim: DefenderSimulator;
let gate: HttpGate;
let connector: FakeConnector;
let dataDir: string;
let bot: ChildBot;
const logs: string[] = [];

beforeAll(async () => {
  const { fleet } = fleetWith(DEVICES, 'bulk-crash');
  sim = await startDefenderSimulator({
    actionSeconds: 2,
    limits: { perMinute: 100_000, perHour: 1_000_000 },
    acceptToken: (token) => token === SANDBOX_TOKEN,
    fleet,
  });
  gate = await startHttpGate(sim.url);
  connector = await startFakeConnector();
  dataDir = mkdtempSync(join(tmpdir(), 'offboarder-bulk-crash-'));
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
      MDE_RATE_PER_MINUTE: '6000',
      MDE_RATE_PER_HOUR: '100000',
    },
  });

/** An approved bulk request in its channel thread, as the deciding approval stores it. */
function approvedBulk(devices: SimMachine[]): OffboardRequest {
  const now = new Date().toISOString();
  const [alex, casey, devon] = ['alex', 'casey', 'devon'].map(user) as [
    ReturnType<typeof user>,
    ReturnType<typeof user>,
    ReturnType<typeof user>,
  ];
  const person = (u: typeof alex) => ({
    aadObjectId: u.aadObjectId,
    name: u.name,
    teamsId: u.id,
    upn: u.upn,
  });
  const { conversation } = conversationOf({ kind: 'channel', rootId: ROOT_ID });
  return {
    id: 'OFB-BULKCR01',
    version: 0,
    tenantId: SANDBOX_TENANT_ID,
    state: 'executing',
    requester: person(alex),
    comment: 'INC-9001: lab decommissioned',
    approvalsRequired: 2,
    approvals: [
      { by: person(casey), at: now },
      { by: person(devon), at: now },
    ],
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    conversation: {
      conversationId: conversation.id,
      threadRootId: ROOT_ID,
      reference: {
        activityId: ROOT_ID,
        user: { id: alex.id, name: alex.name, aadObjectId: alex.aadObjectId },
        bot: BOT,
        conversation,
        channelId: 'msteams',
        serviceUrl: connector.url,
      },
    },
    targets: devices.map((m) => ({
      machineId: m.id,
      computerDnsName: m.computerDnsName,
      machine: { id: m.id, computerDnsName: m.computerDnsName, osPlatform: m.osPlatform, machineTags: [] },
      execution: { startedAt: now },
    })),
    history: [{ at: now, event: 'executing', actor: 'system' }],
  };
}

async function until(what: string, pred: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

it('SIGKILL in the middle of a bulk request: after restart nothing is sent twice and every device ends', async () => {
  const devices = sim.machines.filter((m) => m.computerDnsName.startsWith('bulk-crash-'));
  expect(devices).toHaveLength(DEVICES);
  const seeded = openSqliteStore({ dataDir });
  const created = await seeded.create(approvedBulk(devices));
  await seeded.close();

  // Defender does the work at once; its answers take a while, so a kill finds some unanswered.
  gate.add({
    name: 'slow offboard answers',
    match: (c) => c.method === 'POST' && c.path.endsWith('/offboard'),
    action: { kind: 'delayResponse', ms: 300 },
  });
  const allPosts = () => sim.calls.filter((c) => c.operation === 'offboard' && c.method === 'POST').length;
  bot = await startBot();
  await until('50 offboard POSTs before the kill', () => allPosts() >= 50, 60_000);
  await bot.kill();
  const postsAtKill = allPosts();

  const mid = openSqliteStore({ dataDir });
  const atKill = (await mid.get(created.id))!;
  await mid.close();
  const recorded = atKill.targets.filter((t) => t.execution.actionId).length;
  expect(atKill.state).toBe('executing');
  expect(postsAtKill).toBeLessThan(DEVICES);

  gate.clear();
  bot = await startBot();
  await waitFinal(connector, created.id, 120_000);
  await bot.stop();

  const store = openSqliteStore({ dataDir });
  const r = (await store.get(created.id))!;
  const audit = (await store.audit()).filter((a) => a.requestId === created.id);
  await store.close();
  const perDevice = devices.map((m) => offboardPosts(sim, m.id).length);
  const adopted = audit.filter((a) => a.event === 'action_found').length;
  console.log(
    `bulk crash: ${postsAtKill} POSTs at the kill, ${recorded} recorded in the store; ` +
      `after restart ${allPosts()} POSTs in all, ${adopted} actions adopted by the pre-check`,
  );
  expect(Math.max(...perDevice)).toBe(1);
  expect(perDevice.every((n) => n === 1)).toBe(true);
  expect(r.state).toBe('completed');
  expect(bulkProgress(r, Date.now())).toMatchObject({ total: DEVICES, succeeded: DEVICES, unsent: 0 });
  // The results lost with the process were found again, not re-sent.
  expect(adopted).toBeGreaterThanOrEqual(postsAtKill - recorded);
});
