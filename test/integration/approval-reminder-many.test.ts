import { SANDBOX_DIRECTORY } from '../../sandbox/graph';
import { SANDBOX_GROUPS, SANDBOX_USERS } from '../../sandbox/users';
import { startHarness, type Harness } from '../fakes/harness';
import { channel, openAndSubmit, waitUntil } from '../fakes/flow';

/**
 * Issue #13, part 5, over HTTP: when more than 10 people of the conversation could still
 * approve, the reminder @mentions only the requester and names the rule's approvers
 * instead. Eight more people join the Entra group "Offboarding Approvers" (the Graph
 * stand-in's directory) and the channel's roster (the fake connector): with Blair, Casey,
 * Devon and Frankie, twelve qualify. The card's views list them in the rule's order.
 */
jest.setTimeout(30_000);

const extra = Array.from({ length: 8 }, (_, i) => ({
  key: `extra${i + 1}`,
  aadObjectId: `00000000-0000-4000-8000-0000000001${String(i + 1).padStart(2, '0')}`,
  name: `Extra Approver ${i + 1}`,
  teamsId: `29:sandbox-extra${i + 1}`,
}));
const groupId = SANDBOX_GROUPS.offboardingApprovers.id;

let h: Harness;
afterAll(() => h.close());

it('names the rule instead of @mentioning more than 10 approvers', async () => {
  h = await startHarness({
    maintenanceMs: 200,
    env: { REMINDER_AFTER_MINUTES: '5' },
    graph: {
      directory: {
        users: [...SANDBOX_USERS, ...extra],
        groups: SANDBOX_DIRECTORY.groups.map((g) =>
          g.id === groupId ? { ...g, users: [...g.users, ...extra.map((e) => e.key)] } : g,
        ),
      },
    },
  });
  h.connector.members.push(
    ...extra.map((e) => ({ id: e.teamsId, name: e.name, aadObjectId: e.aadObjectId })),
  );
  const where = channel('root-remind-many');
  const { requestId } = await openAndSubmit(h, where);
  await h.runtime.offboarding.idle();

  // The card's views: the requester, the listed approvers, then the group's members.
  const card = h.latestCard(requestId) as { refresh?: { userIds: string[] } };
  expect(card.refresh?.userIds).toEqual([
    '29:sandbox-alex',
    '29:sandbox-blair',
    '29:sandbox-casey',
    '29:sandbox-devon',
    '29:sandbox-frankie',
    ...extra.map((e) => e.teamsId),
  ]);
  expect(
    h.graph.calls.some((c) => c.path === `/v1.0/groups/${groupId}/transitiveMembers/microsoft.graph.user`),
  ).toBe(true);

  h.advance(6 * 60_000);
  const isReminder = (a: { op: string; activity: Record<string, unknown> }) =>
    a.op !== 'update' && String(a.activity.text ?? '').includes(`Reminder: request ${requestId}`);
  await waitUntil(() => h.connector.sent.some(isReminder));
  await new Promise((r) => setTimeout(r, 600)); // more sweeps: still one reminder
  const reminders = h.connector.sent.filter(isReminder);
  expect(reminders).toHaveLength(1);
  const entities = (reminders[0]!.activity.entities ?? []) as Array<{
    type: string;
    mentioned: { id: string };
  }>;
  expect(entities.filter((e) => e.type === 'mention').map((e) => e.mentioned.id)).toEqual([
    '29:sandbox-alex',
  ]);
  const text = String(reminders[0]!.activity.text);
  expect(text).toMatch(/still needs 2 more approvals/);
  expect(text).toMatch(
    /Approvers under "Default: 2 approvals from [^"]+" may approve or reject it on the card above\./,
  );
  expect(text).not.toMatch(/could be @mentioned/);
  expect(text).not.toMatch(/Blair|Extra Approver/);
});
