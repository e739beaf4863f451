import { newBulkRequest } from '../../bot/request/factory';
import { BULK_REFUSED_KEPT } from '../../bot/request/model';
import { Refusals } from '../../bot/offboarding/selection';
import { machine, people, NOW } from '../fakes/requests';

/** A bulk draft holds exactly the given devices, in order, and stays small at 500. */
function draft(n: number) {
  const refusals = new Refusals();
  for (let i = 0; i < 120; i++)
    refusals.add(`gone-${i}.contoso.local`, i % 2 ? 'not_found' : 'unsupported_os');
  const machines = Array.from({ length: n }, (_, i) =>
    machine({ id: i.toString(16).padStart(40, '0'), computerDnsName: `workstation-${i}.emea.contoso.local` }),
  );
  return {
    machines,
    r: newBulkRequest({
      id: 'OFB-BULK0001',
      now: NOW,
      ttlMs: 3600_000,
      tenantId: 'Tenant-1',
      requester: people.requester,
      conversation: { conversationId: 'c1', reference: {} },
      machines,
      bulk: refusals.selection('tag:retired', 0),
      approvalsRequired: 2,
      comment: 'INC-1',
    }),
  };
}

it('targets are exactly the devices given, in order, each a draft target', () => {
  const { r, machines } = draft(3);
  expect(r.state).toBe('draft');
  expect(r.targets.map((t) => t.machineId)).toEqual(machines.map((m) => m.id));
  expect(r.targets.every((t) => Object.keys(t.execution).length === 0)).toBe(true);
  expect(r.history).toEqual([
    expect.objectContaining({
      event: 'created',
      detail: { targets: 3, selectors: 'tag:retired', refused: 120 },
    }),
  ]);
});

it('keeps the counts of every refused device but only the first ones by name', () => {
  const { r } = draft(1);
  expect(r.bulk?.refusedCounts).toEqual({ unsupported_os: 60, not_found: 60 });
  expect(r.bulk?.refused).toHaveLength(BULK_REFUSED_KEPT);
});

it('stays a reasonable row at 500 devices', () => {
  const { r } = draft(500);
  const bytes = Buffer.byteLength(JSON.stringify(r));
  expect(bytes).toBeLessThan(300_000);
  expect(Buffer.byteLength(JSON.stringify(r.bulk))).toBeLessThan(5_000);
  // What the card and rules need is kept; risk and addresses stay in Defender.
  expect(Object.keys(r.targets[0]!.machine)).toEqual(
    expect.arrayContaining([
      'id',
      'computerDnsName',
      'osPlatform',
      'lastSeen',
      'machineTags',
      'rbacGroupName',
    ]),
  );
  expect(r.targets[0]!.machine).not.toHaveProperty('riskScore');
});
