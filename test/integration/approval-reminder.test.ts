import { startHarness, verbs, type Harness } from '../fakes/harness';
import { channel, openAndSubmit, waitUntil } from '../fakes/flow';

/**
 * REMINDER_AFTER_MINUTES (issue #13, part 5): one reply in the request's thread that
 * @mentions the requester and the roster's people who could still approve, once, also
 * across a restart.
 */
jest.setTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

const reminders = (requestId: string) =>
  h.connector.sent.filter(
    (a) => a.op !== 'update' && String(a.activity.text ?? '').includes(`Reminder: request ${requestId}`),
  );
const mentioned = (a: { activity: Record<string, unknown> }) =>
  ((a.activity.entities as Array<{ type: string; mentioned: { id: string } }> | undefined) ?? [])
    .filter((e) => e.type === 'mention')
    .map((e) => e.mentioned.id)
    .sort();

it('mentions the approvers still needed and the requester, exactly once across a restart', async () => {
  h = await startHarness({ maintenanceMs: 200 });
  const where = channel('root-remind');
  const { requestId, card } = await openAndSubmit(h, where);
  const approved = await h.click('blair', verbs.approve, { requestId }, where, { replyToId: card.id });
  expect(approved.status).toBe(200);
  await new Promise((r) => setTimeout(r, 600)); // sweeps before the reminder is due
  expect(reminders(requestId)).toHaveLength(0);

  h.advance(61 * 60_000);
  await waitUntil(() => reminders(requestId).length > 0);
  const [reminder] = reminders(requestId);
  expect(reminder!.conversationId).toBe(card.conversationId);
  // Blair approved, Emery may not approve, Frankie approves through the Entra group.
  expect(mentioned(reminder!)).toEqual(
    ['29:sandbox-alex', '29:sandbox-casey', '29:sandbox-devon', '29:sandbox-frankie'].sort(),
  );
  expect(String(reminder!.activity.text)).toMatch(
    /<at>Alex Rivera<\/at> Reminder: request OFB-\w{8} to offboard ws-042\S* still needs 1 more approval and expires in about 23 h/,
  );
  expect(h.connector.rosterReads).toContain('19:sandbox-general@thread.tacv2');
  // Recorded right after the post (the post comes first: a crash between them posts again).
  await waitUntil(async () => (await h.runtime.store.get(requestId))!.delivery?.reminderAt !== undefined);

  await h.restart();
  await new Promise((r) => setTimeout(r, 800)); // several sweeps
  expect(reminders(requestId)).toHaveLength(1);
  expect((await h.runtime.store.get(requestId))!.state).toBe('awaiting_approval');
});

it('names the rule instead when the roster knows no one who could approve', async () => {
  h = await startHarness({ maintenanceMs: 200, env: { REMINDER_AFTER_MINUTES: '5' } });
  h.connector.members.splice(0, h.connector.members.length);
  const where = channel('root-remind-2');
  const { requestId } = await openAndSubmit(h, where);
  h.advance(6 * 60_000);
  await waitUntil(() => reminders(requestId).length > 0);
  const [reminder] = reminders(requestId);
  // The requester's Teams id is known from the request itself.
  expect(mentioned(reminder!)).toEqual(['29:sandbox-alex']);
  expect(String(reminder!.activity.text)).toMatch(/none of them could be @mentioned/);
  expect(String(reminder!.activity.text)).toMatch(/still needs 2 more approvals/);
});
