import { startHarness, type Harness } from '../fakes/harness';
import { channel } from '../fakes/flow';
import { conversationOf } from '../fakes/teams';

/**
 * One `offboard` whose device look-up Defender's rate limit holds: the turn says when it
 * will run, and the outcome follows in the same thread (bot/teams/answer-later.ts).
 */
jest.setTimeout(30_000);

let h: Harness;
afterEach(() => h.close());

it('answers at once with the time of the look-up; the outcome follows in the thread', async () => {
  // One device read a minute: the second command's look-up waits for the next minute.
  h = await startHarness({ env: { MDE_RATE_PER_MINUTE: '1', MDE_RATE_PER_HOUR: '100' } });
  const first = channel('queued-1');
  await h.say('alex', 'offboard ws-042 first', first);
  await h.connector.waitFor(
    (a) => a.conversationId === conversationOf(first).conversation.id && !!a.activity.attachments,
  );

  const second = channel('queued-2');
  const res = await h.say('alex', 'offboard ws-001 second', second);
  expect(res.status).toBe(200);
  const told = await h.connector.waitFor((a) => /API limit is reached/.test(String(a.activity.text ?? '')));
  expect(String(told.activity.text)).toMatch(/look up ws-001 at about \d\d:\d\d UTC/);
  expect(told.conversationId).toBe(conversationOf(second).conversation.id);

  // The later answer goes to the same thread: stopping the bot ends the held look-up,
  // and its outcome (an error here) is posted there proactively.
  const before = h.connector.sent.length;
  await h.runtime.stop();
  const later = await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= before);
  expect(later.conversationId).toBe(conversationOf(second).conversation.id);
  expect(later.op).not.toBe('update');
});
