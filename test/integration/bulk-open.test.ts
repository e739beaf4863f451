import { createDefenderClient } from '../../bot/defender/client';
import { createRateLimiter, type RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';
import { systemScheduler } from '../../bot/clock';
import { silentLogger } from '../../bot/log';
import { openBulkRequest, type BulkOpenInput } from '../../bot/offboarding/open-bulk';
import type { NotifierPort, OffboardingDeps } from '../../bot/offboarding/ports';
import { parseCommand } from '../../bot/commands';
import { createMemoryStore } from '../../bot/store';
import { staticDirectory } from '../../bot/directory';
import { parsePolicy } from '../../bot/policy-file/parse';
import { LAB, SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { people, request, target, machine } from '../fakes/requests';

/**
 * Bulk selection against the simulator over HTTP (lab fleet: 150 devices, pages of 50):
 * lists resolved exactly, selectors asked of Defender, each device checked like a
 * single one, confirm and limits, and the stored set is exactly what was resolved.
 */
const T = 'tenant-1';
const FAST = { perMinute: 6000, perHour: 100_000 };
const notifier: NotifierPort = {
  postCard: async () => 'card',
  updateCard: async () => undefined,
  postInThread: async () => undefined,
};

let sim: DefenderSimulator;
let limiter: RateLimiter;
let deps: OffboardingDeps;
let ids = 0;

beforeEach(async () => {
  sim = await startDefenderSimulator({ lab: true, limits: FAST });
  limiter = createRateLimiter(FAST);
  deps = {
    store: createMemoryStore(),
    defender: createDefenderClient({
      baseUrl: sim.url,
      tokenProvider: staticTokenProvider('sandbox'),
      limiter,
      logger: silentLogger(),
      timeoutMs: 5000,
    }),
    notifier,
    clock: { now: () => Date.now() },
    scheduler: systemScheduler,
    logger: silentLogger(),
    newId: () => `OFB-BULK${String(++ids).padStart(4, '0')}`,
    policy: {
      roster: {
        requesters: new Set([people.requester.aadObjectId]),
        approvers: new Set([people.alice.aadObjectId, people.bob.aadObjectId]),
        allowedTenantIds: new Set([T]),
      },
      approvalsRequired: 1,
      ttlMs: 3600_000,
      draftTtlMs: 3600_000,
      bulk: { confirmOver: 20, maxDevices: 500 },
    },
    tracking: { firstCheckMs: 1000, maxIntervalMs: 1000 },
  };
});
afterEach(async () => {
  await limiter.stop();
  await sim.close();
});

function input(text: string, extra: Partial<BulkOpenInput> = {}): BulkOpenInput {
  const cmd = parseCommand({ text });
  if (cmd.kind !== 'offboard_bulk') throw new Error(`${text}: ${cmd.kind}`);
  return {
    actor: people.requester,
    tenantId: T,
    conversation: { conversationId: 'c1', reference: {} },
    devices: cmd.devices,
    selectors: cmd.selectors,
    comment: cmd.comment,
    ...extra,
  };
}

const listCalls = () => sim.calls.filter((c) => c.operation === 'listMachines').length;

describe('bulk open: lists', () => {
  it('resolves each listed device exactly and refuses the others with their reason', async () => {
    const out = await openBulkRequest(
      deps,
      input(
        `offboard ws-001, ws-002.contoso.local, ${SIM.mac.name}, ${SIM.duplicateShortName}, nope-404, ${SIM.stuckPending.id} retired lab`,
      ),
    );
    if (out.kind !== 'created') throw new Error(out.kind);
    expect(out.request.targets.map((t) => t.computerDnsName)).toEqual([
      'ws-001.contoso.local',
      'ws-002.contoso.local',
      SIM.stuckPending.name,
    ]);
    expect(out.request.comment).toBe('retired lab');
    expect(out.request.bulk).toEqual({
      selectors: '',
      listed: 6,
      refusedCounts: { ambiguous: 1, not_found: 1, unsupported_os: 1 },
      refused: [
        { name: SIM.duplicateShortName, reason: 'ambiguous' },
        { name: 'nope-404', reason: 'not_found' },
        { name: SIM.mac.name, reason: 'unsupported_os' },
      ],
    });
    // Names in one read (an `or` of startswith clauses), ids in another: not one read per device.
    expect(listCalls()).toBe(2);
  });

  it('refuses a device with an open request or a pending offboard at Defender', async () => {
    const busy = machine({ id: SIM.healthy.id, computerDnsName: SIM.healthy.name });
    await deps.store.create(request({ id: 'OFB-OPEN0001', tenantId: T, targets: [target(busy)] }));
    await deps.defender.offboard(SIM.stuckPending.id, 'earlier request');
    const out = await openBulkRequest(deps, input(`offboard ws-042, ws-stuck-001, ws-003`));
    if (out.kind !== 'created') throw new Error(out.kind);
    expect(out.request.targets.map((t) => t.computerDnsName)).toEqual(['ws-003.contoso.local']);
    expect(out.request.bulk?.refusedCounts).toEqual({ open_request: 1, pending_already: 1 });
  });

  it('narrows a list with inactive: and says which were not selected', async () => {
    const out = await openBulkRequest(deps, input('offboard inactive:60d lab-001, lab-002, lab-101 stale'));
    if (out.kind !== 'created') throw new Error(out.kind);
    expect(out.request.targets.map((t) => t.computerDnsName)).toEqual([LAB.name(1), LAB.name(2)]);
    expect(out.request.bulk?.refused).toEqual([{ name: LAB.name(101), reason: 'not_selected' }]);
  });

  it('answers none when nothing is left', async () => {
    const out = await openBulkRequest(deps, input(`offboard nope-1, ${SIM.linux.name}`));
    expect(out).toMatchObject({ kind: 'none', refusedCounts: { not_found: 1, unsupported_os: 1 } });
  });
});

describe('bulk open: selectors', () => {
  it('asks to confirm a tag alone matching more than confirmOver, then binds the set', async () => {
    const first = await openBulkRequest(deps, input('offboard tag:lab-retired decommissioned'));
    expect(first).toEqual({
      kind: 'confirm',
      count: LAB.tagged,
      command: 'offboard tag:lab-retired\ndecommissioned',
    });
    const out = await openBulkRequest(
      deps,
      input('offboard tag:lab-retired decommissioned', { confirmed: true }),
    );
    if (out.kind !== 'created') throw new Error(out.kind);
    expect(out.request.targets).toHaveLength(LAB.tagged);
    expect(new Set(out.request.targets.map((t) => t.machineId)).size).toBe(LAB.tagged);
    // The tag filter went to Defender, and its pages (50 each) were followed.
    const q = sim.calls.find((c) => c.operation === 'listMachines')!;
    expect(decodeURIComponent(q.query)).toContain("machineTags/any(t: t eq 'lab-retired')");
    expect(listCalls()).toBeGreaterThanOrEqual(2 * 3);
    // A device tagged after the request opened is not in its set.
    sim.machines.find((m) => m.computerDnsName === LAB.name(121))!.machineTags.push(LAB.tag);
    const stored = await deps.store.get(out.request.id);
    expect(stored?.targets).toHaveLength(LAB.tagged);
    expect(stored?.targets.some((t) => t.computerDnsName === LAB.name(121))).toBe(false);
  });

  it('matches the device group by name and needs no confirmation when inactive: narrows', async () => {
    const out = await openBulkRequest(deps, input('offboard group:"lab MACHINES" inactive:60d'));
    if (out.kind !== 'created') throw new Error(out.kind);
    expect(out.request.targets).toHaveLength(LAB.staleCount);
    expect(out.request.bulk?.selectors).toBe('group:"lab MACHINES" inactive:60d');
    const q = sim.calls.find((c) => c.operation === 'listMachines')!;
    expect(decodeURIComponent(q.query)).toMatch(/lastSeen lt \d{4}-/);
  });

  it('refuses more than maxDevices, naming the count and the limit', async () => {
    deps.policy.bulk = { confirmOver: 20, maxDevices: 100 };
    const out = await openBulkRequest(deps, input('offboard tag:lab-retired', { confirmed: true }));
    expect(out).toEqual({ kind: 'too_many', count: LAB.tagged, limit: 100 });
  });

  it('refuses a requester who is not one', async () => {
    const out = await openBulkRequest(deps, input('offboard tag:lab-retired', { actor: people.alice }));
    expect(out.kind).toBe('refused');
    expect(sim.calls).toHaveLength(0);
  });
});

describe('bulk open: policy rules', () => {
  const FILE = `rules:
  - name: Domain controllers
    match:
      tags: [DomainController]
    allowed: false
  - name: Servers
    match:
      rbacGroupName: Servers
    approvers:
      users: [${people.bob.aadObjectId}]
    approvalsRequired: 1
`;
  beforeEach(() => {
    const env = {
      requesters: { users: [people.requester.aadObjectId], groups: [] },
      approvers: { users: [people.alice.aadObjectId, people.bob.aadObjectId], groups: [] },
      approvalsRequired: 1,
    };
    deps.policy.directory = {
      directory: staticDirectory(),
      rules: parsePolicy(FILE, 'policy.yaml', env),
      env,
    };
  });

  it('refuses devices under different rules, with the count per rule, and stores nothing', async () => {
    const out = await openBulkRequest(deps, input('offboard ws-001, ws-002, srv-sql-01 retired'));
    expect(out).toEqual({
      kind: 'mixed_rules',
      rules: [
        { name: 'Default', count: 2 },
        { name: 'Servers', count: 1 },
      ],
    });
    expect(await deps.store.listActiveForMachine(SIM.server.id)).toEqual([]);
  });

  it('leaves out a device whose rule forbids chat, and opens the rest under their one rule', async () => {
    const out = await openBulkRequest(deps, input('offboard srv-dc-01, srv-sql-01, srv-web-01'));
    if (out.kind !== 'created') throw new Error(out.kind);
    expect(out.request.rule?.name).toBe('Servers');
    expect(out.request.targets.map((t) => t.computerDnsName)).toEqual([
      'srv-sql-01.contoso.local',
      'srv-web-01.contoso.local',
    ]);
    expect(out.request.bulk?.refused).toEqual([{ name: 'srv-dc-01.contoso.local', reason: 'not_allowed' }]);
  });
});
