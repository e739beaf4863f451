import { resolve } from 'node:path';
import { cardContent, cardText, startHarness, type Harness } from '../fakes/harness';
import type { Where } from '../fakes/teams';

/** `help` answers with a card fitted to the person, over HTTP (Graph stand-in for groups). */
jest.setTimeout(30_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { POLICY_FILE: resolve(__dirname, '../../policy.example.yaml') } });
});
afterAll(() => h.close());

async function helpFor(who: string, where: Where = { kind: 'personal', userKey: who }): Promise<string> {
  const since = h.connector.sent.length;
  await h.say(who, 'help', where);
  const reply = await h.connector.waitFor(
    (a) => h.connector.sent.indexOf(a) >= since && Boolean(cardContent(a)),
  );
  expect(String(reply.activity.text)).toMatch(/What you can do/);
  return cardText(cardContent(reply)!);
}

it('a requester who approves too: every command, the rules of the file and the default', async () => {
  const card = await helpFor('alex');
  expect(card).toContain('offboard {device} [comment]');
  expect(card).toContain('cancel {request id}');
  expect(card).toContain('Domain controllers: cannot be offboarded from chat');
  expect(card).toContain('Default: 2 approvals from the configured approvers');
  // Alex is not in Server Owners and requests under the environment's list: the Servers rule applies to Alex's requests.
  expect(card).toContain('Servers: 3 approvals from Server Owners');
});

it('an approver through a group only: no offboard, the rules they approve under', async () => {
  const card = await helpFor('frankie');
  expect(card).not.toContain('offboard {device}');
  expect(card).toContain('pending');
  expect(card).toContain('Servers: 3 approvals from Server Owners');
  expect(card).toMatch(/You may approve or reject/);
});

it('someone on no list: help only, no rules', async () => {
  const card = await helpFor('emery', { kind: 'groupChat' });
  expect(card).not.toContain('offboard {device}');
  expect(card).not.toContain('Servers');
  expect(card).toMatch(/not on the lists/);
});
