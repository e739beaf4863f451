import { createOffboarding, type Offboarding } from '../../bot/offboarding/service';
import type { DefenderPort, NotifierPort, OffboardingDeps } from '../../bot/offboarding/ports';
import { BULK_PARALLEL } from '../../bot/offboarding/executor';
import { bulkProgress } from '../../bot/request/bulk-progress';
import type { OffboardRequest } from '../../bot/request/model';
import type { ActionStatus, MachineAction } from '../../bot/defender/types';
import { DefenderError } from '../../bot/defender';
import { createMemoryStore } from '../../bot/store';
import { silentLogger } from '../../bot/log';
import { manualTime, type ManualTime } from '../fakes/manual-scheduler';
import { people, request, target, machine, peoplePolicy } from '../fakes/requests';

/**
 * The executor and tracker on a bulk request, with injected time and in-test Defender
 * and Teams: bounded parallelism, one POST per device, batched writes, throttled card
 * updates, paged status reads, and cancel after approval.
 */
const T = 'tenant-1';
const N = 40;
const hex = (i: number) => i.toString(16).padStart(40, '0');
const actionOf = (machineId: string) => `00000000-0000-4000-8000-${machineId.slice(-12)}`;

class FakeDefender implements DefenderPort {
  status: ActionStatus = 'Pending';
  posts = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  refuse = new Set<string>();
  reads: number[] = [];
  gets = 0;
  constructor(private readonly time: ManualTime) {}
  private action = (machineId: string): MachineAction => ({
    id: actionOf(machineId),
    type: 'Offboard',
    status: this.status,
    machineId,
  });
  getMachine = async () => undefined;
  findMachinesByName = async () => [];
  searchMachinesByPrefix = async () => [];
  listMachineActions = async () => [];
  getMachineAction = async (id: string) => {
    this.gets++;
    return { ...this.action(hex(0)), id };
  };
  listMachineActionsByIds = async (ids: readonly string[]) => {
    this.reads.push(ids.length);
    return ids.map((id) => ({ ...this.action(hex(0)), id }));
  };
  offboard: DefenderPort['offboard'] = async (machineId, _comment, opts) => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.time.scheduler.sleep(1000);
      if (this.refuse.has(machineId))
        throw new DefenderError({
          kind: 'http',
          status: 400,
          defenderCode: 'OsPlatformNotSupported',
          defenderMessage: 'not supported',
          operation: 'offboard',
        });
      await opts?.beforePost?.();
      this.posts.set(machineId, (this.posts.get(machineId) ?? 0) + 1);
      return { action: this.action(machineId), recovered: false };
    } finally {
      this.inFlight--;
    }
  };
}

class FakeTeams implements NotifierPort {
  updates = 0;
  posts: string[] = [];
  postCard = async () => 'card-1';
  updateCard = async () => {
    this.updates++;
  };
  postInThread = async (_r: OffboardRequest, text: string) => {
    this.posts.push(text);
  };
}

let time: ManualTime;
let defender: FakeDefender;
let teams: FakeTeams;
let deps: OffboardingDeps;
let svc: Offboarding;
let writes: number;

beforeEach(() => {
  time = manualTime(Date.parse('2026-11-29T10:00:00Z'));
  defender = new FakeDefender(time);
  teams = new FakeTeams();
  const store = createMemoryStore();
  writes = 0;
  const update = store.update.bind(store);
  store.update = (next, o) => {
    writes++;
    return update(next, o);
  };
  deps = {
    store,
    defender,
    notifier: teams,
    clock: time.clock,
    scheduler: time.scheduler,
    logger: silentLogger(),
    newId: () => 'OFB-00000001',
    policy: peoplePolicy(T),
    tracking: { firstCheckMs: 10_000, maxIntervalMs: 60_000 },
  };
  svc = createOffboarding(deps);
});
afterEach(() => svc.stop());

async function approvedBulk(n = N): Promise<string> {
  const now = new Date(time.clock.now()).toISOString();
  const r = request({
    id: 'OFB-BULK0040',
    tenantId: T,
    state: 'executing',
    comment: 'INC-1: lab',
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(time.clock.now() + 3600_000).toISOString(),
    approvals: [
      { by: people.alice, at: now },
      { by: people.bob, at: now },
    ],
    conversation: { conversationId: 'c1', reference: {}, cardActivityId: 'card-1' },
    targets: Array.from({ length: n }, (_, i) =>
      target(machine({ id: hex(i + 1), computerDnsName: `ws-${i + 1}.contoso.local` }), { startedAt: now }),
    ),
  });
  await deps.store.create(r);
  await svc.resume();
  return r.id;
}

it('sends every device once, a bounded number at a time, in batched writes', async () => {
  defender.refuse.add(hex(7));
  const id = await approvedBulk();
  await time.advance(20_000);
  expect(defender.maxInFlight).toBe(BULK_PARALLEL);
  expect(defender.posts.size).toBe(N - 1);
  expect([...defender.posts.values()].every((n) => n === 1)).toBe(true);
  const r = (await deps.store.get(id))!;
  expect(r.state).toBe('tracking');
  expect(bulkProgress(r, time.clock.now())).toMatchObject({ pending: N - 1, failed: 1, unsent: 0 });
  // One write per flush (about one per second of sending), not one per device.
  expect(writes).toBeLessThan(N / 2);
  expect(teams.updates).toBeLessThanOrEqual(4);
});

it('tracks many actions in paged reads and posts one summary', async () => {
  const id = await approvedBulk();
  await time.advance(20_000);
  defender.status = 'Succeeded';
  await time.advance(30_000);
  await svc.idle();
  const r = (await deps.store.get(id))!;
  expect(r.state).toBe('completed');
  expect(defender.gets).toBe(0);
  expect(defender.reads.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(N);
  expect(defender.reads.length).toBeLessThanOrEqual(3);
  expect(teams.posts).toHaveLength(1);
  expect(teams.posts[0]).toContain(`✅ Offboarded: ${N}`);
});

it('cancel after approval stops the unsent devices; the sent ones go on', async () => {
  const id = await approvedBulk();
  await time.advance(2_000);
  const sentBefore = defender.posts.size;
  expect(sentBefore).toBeGreaterThan(0);
  const o = await svc.cancel({ requestId: id, actor: people.requester, tenantId: T, conversationId: 'c1' });
  expect(o.kind).toBe('bulk_stopped');
  await time.advance(20_000);
  await svc.idle();
  const r = (await deps.store.get(id))!;
  const p = bulkProgress(r, time.clock.now());
  // Those in flight at the cancel were stopped at beforePost or recorded as sent.
  expect(defender.posts.size).toBeLessThanOrEqual(sentBefore + BULK_PARALLEL);
  expect(p.cancelled + p.pending).toBe(N);
  expect(p.pending).toBe(defender.posts.size);
  expect(r.state).toBe('tracking');
  if (o.kind === 'bulk_stopped') expect(o.stopped).toBeGreaterThanOrEqual(p.cancelled);
});

it('refuses a cancel from someone who is neither the requester nor an approver', async () => {
  const id = await approvedBulk();
  const o = await svc.cancel({
    requestId: id,
    actor: { aadObjectId: '00000000-0000-0000-0000-0000000000ff', name: 'Mallory' },
    tenantId: T,
    conversationId: 'c1',
  });
  expect(o.kind).toBe('refused');
  await time.advance(20_000);
  expect(defender.posts.size).toBe(N);
});
