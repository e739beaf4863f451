import { createOffboarding, type Offboarding } from '../../bot/offboarding/service';
import type { DefenderPort, NotifierPort, OffboardingDeps } from '../../bot/offboarding/ports';
import type { OffboardRequest } from '../../bot/request/model';
import type { ActionStatus, MachineAction } from '../../bot/defender/types';
import { DefenderError } from '../../bot/defender';
import { createMemoryStore } from '../../bot/store';
import { createLogger, silentLogger } from '../../bot/log';
import { manualTime, type ManualTime } from '../fakes/manual-scheduler';

/**
 * The use cases with injected time: queue notices, retries, tracking back-off, and
 * delivery to Teams that survives failures. Defender and Teams are small in-test
 * implementations of the ports (no module mocks).
 */
const T = '00000000-0000-4000-8000-00000000c0de';
const person = (n: number, name: string) => ({
  aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
  name,
  teamsId: `29:${n}`,
});
const [alex, casey, devon] = [person(1, 'Alex'), person(3, 'Casey'), person(4, 'Devon')];
const MID = 'a'.repeat(40);
const ACTION = '11111111-2222-4333-8444-555555555555';

class FakeDefender implements DefenderPort {
  status: ActionStatus = 'Pending';
  posts = 0;
  failNext: unknown[] = [];
  queueFor = 0;
  constructor(private readonly time: ManualTime) {}
  action = (): MachineAction => ({ id: ACTION, type: 'Offboard', status: this.status, machineId: MID });
  getMachine = async () => ({
    id: MID,
    computerDnsName: 'ws-1.contoso.local',
    osPlatform: 'Windows11',
    machineTags: [],
  });
  findMachinesByName = async () => [await this.getMachine()];
  searchMachinesByPrefix = async () => [];
  listMachineActions = async () => (this.posts ? [this.action()] : []);
  getMachineAction = async () => {
    const e = this.failNext.shift();
    if (e) throw e;
    return this.action();
  };
  offboard: DefenderPort['offboard'] = async (_id, _comment, opts) => {
    const e = this.failNext.shift();
    if (e) throw e;
    if (this.queueFor) {
      opts?.onQueued?.({
        position: 1,
        estimatedStartMs: this.time.clock.now() + this.queueFor,
        waitMs: this.queueFor,
      });
      await this.time.scheduler.sleep(this.queueFor);
    }
    this.posts++;
    return { action: this.action(), recovered: false };
  };
}

class FakeTeams implements NotifierPort {
  cards: string[] = [];
  posts: string[] = [];
  down = false;
  postCard = async (r: OffboardRequest) => {
    if (this.down) throw Object.assign(new Error('down'), { statusCode: 503 });
    this.cards.push(`${r.state}`);
    return 'card-1';
  };
  updateCard = async (r: OffboardRequest) => {
    if (this.down) throw Object.assign(new Error('down'), { statusCode: 503 });
    this.cards.push(
      `${r.state}:${r.targets[0]!.execution.actionStatus ?? ''}:${r.targets[0]!.execution.queuedUntil ? 'queued' : ''}`,
    );
  };
  postInThread = async (_r: OffboardRequest, text: string) => {
    if (this.down) throw Object.assign(new Error('down'), { statusCode: 503 });
    this.posts.push(text);
  };
}

let time: ManualTime;
let defender: FakeDefender;
let teams: FakeTeams;
let svc: Offboarding;
let deps: OffboardingDeps;

beforeEach(() => {
  time = manualTime(Date.parse('2026-11-29T10:00:00Z'));
  defender = new FakeDefender(time);
  teams = new FakeTeams();
  let n = 0;
  deps = {
    store: createMemoryStore(),
    defender,
    notifier: teams,
    clock: time.clock,
    scheduler: time.scheduler,
    logger: process.env.DEBUG_LOG ? createLogger({ level: 'debug' }) : silentLogger(),
    newId: () => `OFB-0000000${++n}`,
    policy: {
      roster: {
        requesters: new Set([alex.aadObjectId]),
        approvers: new Set([casey.aadObjectId, devon.aadObjectId]),
        allowedTenantIds: new Set([T]),
      },
      approvalsRequired: 2,
      ttlMs: 24 * 3600_000,
      draftTtlMs: 24 * 3600_000,
    },
    tracking: { firstCheckMs: 10_000, maxIntervalMs: 300_000 },
  };
  svc = createOffboarding(deps);
});
afterEach(() => svc.stop());

async function approved(): Promise<string> {
  const o = await svc.open({
    actor: alex,
    tenantId: T,
    conversation: { conversationId: 'c1', reference: {} },
    machine: { by: 'name', name: 'ws-1' },
  });
  if (o.kind !== 'created') throw new Error(o.kind);
  const id = o.request.id;
  const base = { requestId: id, tenantId: T, conversationId: 'c1' };
  await svc.act({ ...base, actor: alex, action: { kind: 'submit', comment: 'stolen' } });
  await svc.act({ ...base, actor: casey, action: { kind: 'approve' } });
  const last = await svc.act({ ...base, actor: devon, action: { kind: 'approve' } });
  expect(last.ok && last.execute).toBe(true);
  return id;
}

it('tracks with back-off from 10 s up to 5 minutes and posts the final status once', async () => {
  const id = await approved();
  await time.advance(0);
  expect(defender.posts).toBe(1);
  const checks: number[] = [];
  const orig = defender.getMachineAction;
  defender.getMachineAction = async () => {
    checks.push(time.clock.now());
    return orig();
  };
  await time.advance(40 * 60_000);
  const gaps = checks.map((t, i) => (i ? t - checks[i - 1]! : 0)).slice(1);
  expect(gaps.slice(0, 5)).toEqual([20_000, 40_000, 80_000, 160_000, 300_000]);
  expect(Math.max(...gaps)).toBe(300_000);
  defender.status = 'InProgress';
  await time.advance(300_000);
  defender.status = 'Succeeded';
  await time.advance(300_000);
  await svc.idle();
  const r = (await deps.store.get(id))!;
  expect(r.state).toBe('completed');
  expect(teams.posts).toHaveLength(1);
  expect(teams.posts[0]).toMatch(/Succeeded/);
  expect(teams.cards).toEqual(
    expect.arrayContaining(['tracking:Pending:', 'tracking:InProgress:', 'completed:Succeeded:']),
  );
  await time.advance(3600_000);
  await svc.sweep();
  expect(teams.posts).toHaveLength(1);
});

it('shows the queue on the card while the rate limiter holds the call', async () => {
  defender.queueFor = 90_000;
  await approved();
  await time.advance(1000);
  expect(teams.cards).toContain('executing::queued');
  await time.advance(90_000);
  expect(defender.posts).toBe(1);
});

it('retries an unreachable Defender later instead of failing or posting blindly', async () => {
  defender.failNext = [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })];
  const id = await approved();
  await time.advance(0);
  expect(defender.posts).toBe(0);
  expect((await deps.store.get(id))!.targets[0]!.execution.lastError).toBeDefined();
  await time.advance(60_000);
  expect(defender.posts).toBe(1);

  const r = (await deps.store.get(id))!;
  expect(r.targets[0]!.execution.retryAt).toBeDefined();
  expect(r.state).toBe('tracking');
});

it('fails the request clearly when Defender refuses the offboard', async () => {
  defender.failNext = [
    new DefenderError({
      kind: 'http',
      status: 400,
      defenderCode: 'OsPlatformNotSupported',
      defenderMessage: 'not supported',
      target: 'corr-123',
      operation: 'offboard',
    }),
  ];
  const id = await approved();
  await time.advance(0);
  await svc.idle();
  const r = (await deps.store.get(id))!;
  expect(r.state).toBe('failed');
  expect(r.targets[0]!.execution.error).toMatchObject({ code: 'OsPlatformNotSupported', target: 'corr-123' });
  expect(teams.posts[0]).toMatch(/not offboarded.*corr-123/s);
  await time.advance(3600_000);
  expect(defender.posts).toBe(0);
});

it('ends "outcome unknown", not failed, when the attempts run out after an unknown outcome', async () => {
  const unknown = new DefenderError({ kind: 'unknownOutcome', operation: 'offboard', target: 'corr-9' });
  const down = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  defender.failNext = [unknown, ...Array.from({ length: 9 }, down)];
  const id = await approved();
  for (let i = 0; i < 12; i++) await time.advance(300_000);
  await svc.idle();
  const r = (await deps.store.get(id))!;
  expect(r.state).toBe('outcome_unknown');
  expect(r.targets[0]!.execution.error).toMatchObject({ unknownOutcome: true });
  expect(r.history.at(-1)?.event).toBe('outcome_unknown');
  expect(teams.posts.at(-1)).toMatch(/outcome unknown/);
  expect(teams.posts.at(-1)).not.toMatch(/not offboarded|nothing was changed/);
  expect(defender.posts).toBe(0);
});

it('delivers what Teams missed once it is back, without losing the final notice', async () => {
  const id = await approved();
  await time.advance(0);
  teams.down = true;
  defender.status = 'Succeeded';
  await time.advance(30_000);
  expect((await deps.store.get(id))!.state).toBe('completed');
  expect(teams.posts).toHaveLength(0);
  teams.down = false;
  await svc.sweep();
  expect(teams.posts).toHaveLength(1);
  expect(teams.cards.at(-1)).toBe('completed:Succeeded:');
});

it('the sweep leaves finished requests older than a week alone', async () => {
  const id = await approved();
  await time.advance(0);
  teams.down = true;
  defender.status = 'Succeeded';
  await time.advance(30_000);
  expect((await deps.store.get(id))!.state).toBe('completed');
  teams.down = false;
  await time.advance(8 * 24 * 3600_000);
  const before = teams.posts.length;
  await svc.sweep();
  expect(teams.posts.length).toBe(before);
});
