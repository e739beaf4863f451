import { SIM } from '../../sandbox/defender';
import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { cardText, startHarness, verbs, type Harness } from '../fakes/harness';
import { channel, finalReply, openAndSubmit, waitUntil } from '../fakes/flow';
import type { Where } from '../fakes/teams';

/** `pending` and `cancel <id>` end to end over HTTP (fake connector, simulator, Graph stand-in). */
jest.setTimeout(30_000);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

/** Says `text` as `who` and returns the bot's text answer. */
async function ask(who: string, text: string, where: Where, tenantId?: string): Promise<string> {
  const since = h.connector.sent.length;
  await h.say(who, text, where, tenantId);
  const reply = await h.connector.waitFor(
    (a) => h.connector.sent.indexOf(a) >= since && a.op !== 'update' && typeof a.activity.text === 'string',
  );
  return String(reply.activity.text);
}

describe('pending', () => {
  it('lists what awaits the caller and their own requests, with a deep link to the card', async () => {
    const where = channel('root-7');
    const { requestId, card } = await openAndSubmit(h, where);
    const link =
      `https://teams.microsoft.com/l/message/${encodeURIComponent('19:sandbox-general@thread.tacv2')}/` +
      `${encodeURIComponent(card.id)}?tenantId=${SANDBOX_TENANT_ID}&parentMessageId=root-7`;

    const casey = await ask('casey', 'pending', where);
    expect(casey).toMatch(/Awaiting your approval\*\* \(1\)/);
    expect(casey).toContain(requestId);
    expect(casey).toMatch(/ws-042\.contoso\.local, requested by Alex Rivera \d+ min ago/);
    expect(casey).toContain(link);

    const alex = await ask('alex', 'pending', where);
    expect(alex).toMatch(/Your open requests\*\* \(1\)/);
    expect(alex).not.toMatch(/Awaiting your approval/);
    // Frankie may approve through the Entra group only.
    expect(await ask('frankie', 'pending', where)).toContain(requestId);
    expect(await ask('emery', 'pending', where)).toMatch(/Nothing waits for you/);

    // In a personal chat: across the tenant's conversations, device, state and link only.
    const personal = await ask('casey', 'pending', { kind: 'personal', userKey: 'casey' });
    expect(personal).toContain(requestId);
    expect(personal).toContain(link);
    expect(personal).not.toMatch(/requested by/);
    // Another channel's members do not read this channel's requests.
    expect(await ask('casey', 'pending', { kind: 'groupChat' })).toMatch(/Nothing waits for you/);

    await h.click('casey', verbs.approve, { requestId }, where, { replyToId: card.id });
    expect(await ask('casey', 'pending', where)).toMatch(/Nothing waits for you/);
    expect(await ask('casey', 'pending', where, '99999999-9999-4999-8999-999999999999')).toMatch(
      /does not serve your organization/,
    );
  });
});

describe('cancel', () => {
  it('before execution: only the requester, and the card says Cancelled', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    expect(await ask('casey', `cancel ${requestId}`, where)).toMatch(/Only Alex Rivera.*can cancel/);
    expect(await ask('alex', `cancel ${requestId}`, { kind: 'groupChat' })).toMatch(/know no request/);
    expect(await ask('alex', `cancel ${requestId}`, where)).toMatch(/is cancelled: nothing was sent/);
    await h.runtime.offboarding.idle();
    expect((await h.runtime.store.get(requestId))!.state).toBe('cancelled');
    expect(cardText(h.latestCard(requestId))).toMatch(/Cancelled by/);
    expect(await ask('alex', `cancel ${requestId}`, where)).toMatch(/already cancelled/);
    expect(h.offboardPosts()).toBe(0);
  });

  it('after execution, while the Defender action is Pending: an approver cancels it at Defender', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where, 'ws-stuck-001');
    await h.click('casey', verbs.approve, { requestId }, where, { replyToId: card.id });
    await h.click('devon', verbs.approve, { requestId }, where, { replyToId: card.id });
    await waitUntil(async () => (await h.runtime.store.get(requestId))?.state === 'tracking');
    expect(h.offboardPosts(SIM.stuckPending.id)).toBe(1);

    expect(await ask('emery', `cancel ${requestId}`, where)).toMatch(/or an approver can cancel/);
    const since = h.connector.sent.length;
    // Frankie approves (and so cancels) only through the Entra group.
    await h.say('frankie', `cancel ${requestId}`, where);
    const after = (re: RegExp) =>
      h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= since && re.test(String(a.activity.text)));
    await after(/is cancelled: the device stays onboarded/);
    const notice = await after(/cancelled the offboarding at Defender/);
    expect(String(notice.activity.text)).toMatch(/<at>Alex Rivera<\/at> Frankie Moss cancelled/);
    expect(h.sim.calls.filter((c) => c.operation === 'cancelAction' && c.method === 'POST')).toHaveLength(1);
    expect(String((await finalReply(h)).activity.text)).toMatch(/Cancelled/);
    await h.runtime.offboarding.idle();
    const stored = (await h.runtime.store.get(requestId))!;
    expect(stored.history.map((e) => e.event)).toContain('defender_cancel_sent');
    expect(cardText(h.latestCard(requestId))).toMatch(/Cancelled at Defender by .*Frankie Moss/);
    expect(await ask('alex', `cancel ${requestId}`, where)).toMatch(/nothing to cancel/);
  });
});
