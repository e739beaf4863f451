import { SIM } from '../../sandbox/defender';
import { cardText, startHarness, verbs, type Harness } from '../fakes/harness';
import { channel, invokeMessage, openAndSubmit } from '../fakes/flow';

/**
 * The product end to end over real HTTP: Teams activities into the bot's restify
 * server, Defender calls into the simulator, and everything the bot posts recorded by
 * a fake Bot Connector.
 */
jest.setTimeout(30_000);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('offboard in a channel thread, two approvers', () => {
  it('posts the card in the thread, offboards exactly once and reports Succeeded in the thread', async () => {
    const where = channel('root-42');
    const { requestId, card } = await openAndSubmit(h, where);
    expect(card.conversationId).toBe(`19:sandbox-general@thread.tacv2;messageid=root-42`);
    // Threading in Teams channels is by conversation id (`;messageid=<root>`); proactive
    // sends carry botbuilder's own continuation id as replyToId.

    const first = await h.click('casey', verbs.approve, { requestId }, where, { replyToId: card.id });
    expect(cardText(invokeMessage(first) as Record<string, unknown>)).toMatch(/Awaiting approval|1 more/i);
    await h.click('devon', verbs.approve, { requestId }, where, { replyToId: card.id });

    const final = await h.connector.waitFor(
      (a) => a.op !== 'update' && /finished/.test(String(a.activity.text ?? '')),
      15_000,
    );
    expect(final.conversationId).toBe(card.conversationId);
    expect(String(final.activity.text)).toMatch(/Succeeded/);
    expect(String(final.activity.text)).toMatch(/<at>Alex Rivera<\/at>/);
    expect(h.offboardPosts(SIM.healthy.id)).toBe(1);
    await h.runtime.offboarding.idle();
    expect(cardText(h.latestCard(requestId))).toMatch(/Succeeded/);
    const post = h.sim.calls.find((c) => c.operation === 'offboard')!;
    expect(JSON.stringify(post.body)).toMatch(
      /Laptop stolen.*OFB-.*alex@contoso\.example.*casey@|Laptop stolen.*Casey/,
    );
  });
});

describe('the two-person rule over the wire', () => {
  it('refuses self-approval, counts the same approver once, refuses unauthorized people and other tenants', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where);
    const click = (who: string, extra: { tenantId?: string } = {}) =>
      h.click(who, verbs.approve, { requestId }, where, { replyToId: card.id, ...extra });

    expect(invokeMessage(await click('alex'))).toMatch(/cannot approve/);
    expect(invokeMessage(await click('emery'))).toMatch(/not an authorized approver/);
    expect(invokeMessage(await click('casey', { tenantId: '99999999-9999-4999-8999-999999999999' }))).toMatch(
      /another organization/,
    );
    expect(typeof invokeMessage(await click('casey'))).toBe('object'); // a card: accepted
    expect(invokeMessage(await click('casey'))).toMatch(/already approved/);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.offboardPosts()).toBe(0);
    // Refusals change nothing for others: no card update carries a second approval.
    expect(cardText(h.latestCard(requestId))).not.toMatch(/Devon/);
  });

  it('forged card data changes nothing: another id, an approver id in data, a replayed click', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where);
    const r1 = await h.click(
      'emery',
      verbs.approve,
      { requestId, approverId: '00000000-0000-4000-8000-000000000003', from: { aadObjectId: 'x' } },
      where,
    );
    expect(invokeMessage(r1)).toMatch(/not an authorized approver/);
    const r2 = await h.click('casey', verbs.approve, { requestId: 'OFB-AAAAAAAA' }, where);
    expect(invokeMessage(r2)).toMatch(/not belong to a known request/);
    const r3 = await h.click('casey', verbs.approve, { requestId }, { kind: 'groupChat' });
    expect(invokeMessage(r3)).toMatch(/not belong to a known request/);
    const r4 = await h.click('casey', verbs.approve, { requestId: { $ne: 1 } }, where);
    expect(invokeMessage(r4)).toMatch(/not belong to a known request/);
    await h.click('alex', verbs.cancel, { requestId }, where, { replyToId: card.id });
    const replay = await h.click('casey', verbs.approve, { requestId }, where);
    expect(invokeMessage(replay)).toMatch(/already cancelled/);
    expect(h.offboardPosts()).toBe(0);
  });

  it('an approver rejects with a reason; the requester cancels', async () => {
    const where = channel();
    const a = await openAndSubmit(h, where);
    const rej = await h.click(
      'casey',
      verbs.reject,
      { requestId: a.requestId, rejectReason: 'Wrong laptop' },
      where,
    );
    expect(cardText(invokeMessage(rej) as Record<string, unknown>)).toMatch(/Wrong laptop/);
    expect(invokeMessage(await h.click('devon', verbs.approve, { requestId: a.requestId }, where))).toMatch(
      /already rejected/,
    );

    const b = await openAndSubmit(h, channel('root-2'));
    const cancel = await h.click('alex', verbs.cancel, { requestId: b.requestId }, channel('root-2'));
    expect(cardText(invokeMessage(cancel) as Record<string, unknown>)).toMatch(/Cancelled/i);
    expect(h.offboardPosts()).toBe(0);
    await h.runtime.offboarding.idle();
    expect(cardText(h.latestCard(b.requestId))).toMatch(/Cancelled/i);
  });

  it('expires a request past its TTL (injected clock) and refuses later approvals', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    h.advance(25 * 3600_000);
    await h.runtime.offboarding.sweep();
    expect(cardText(h.latestCard(requestId))).toMatch(/Expired/i);
    expect(invokeMessage(await h.click('casey', verbs.approve, { requestId }, where))).toMatch(
      /already expired/,
    );
    expect(h.offboardPosts()).toBe(0);
  });

  it('two approvals at the same instant offboard exactly once', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(h, where);
    await h.click('blair', verbs.approve, { requestId }, where);
    await Promise.all([
      h.click('casey', verbs.approve, { requestId }, where),
      h.click('devon', verbs.approve, { requestId }, where),
      h.click('casey', verbs.approve, { requestId }, where),
    ]);
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
  });
});

describe('device checks before any approval', () => {
  it('lists ambiguous matches as choices and never guesses', async () => {
    const since = h.connector.sent.length;
    await h.say('alex', 'offboard fin-laptop-07', { kind: 'groupChat' });
    const choose = await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= since);
    const text = JSON.stringify(choose.activity);
    expect(text).toMatch(/fin-laptop-07\.contoso\.local/);
    expect(text).toMatch(/fin-laptop-07\.fabrikam\.local/);
    expect(text).toContain(verbs.choose);
    expect(
      await h.runtime.offboarding.status({
        requestId: 'OFB-00000000',
        actorId: undefined,
        tenantId: undefined,
        conversationId: 'x',
      }),
    ).toBeUndefined();
  });

  it('refuses unsupported platforms, unknown devices and devices with an offboard already pending', async () => {
    const reply = async (text: string) => {
      const since = h.connector.sent.length;
      await h.say('alex', text, { kind: 'personal', userKey: 'alex' });
      const hit = await h.connector.waitFor(
        (a) => h.connector.sent.indexOf(a) >= since && Boolean(a.activity.text),
      );
      return String(hit.activity.text);
    };
    expect(await reply('offboard mac-design-01')).toMatch(/can't offboard.*macOS/s);
    expect(await reply('offboard ws-04')).toMatch(/no device named.*ws-042/s);
    await fetch(`${h.sim.url}/api/machines/${SIM.healthy.id}/offboard`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      body: JSON.stringify({ Comment: 'from the portal' }),
    });
    expect(await reply('offboard ws-042')).toMatch(/already has an offboard action/);
    expect(await reply('offboard ws 042; drop')).toMatch(/./);
    expect(h.offboardPosts()).toBe(1);
  });

  it('refuses people who are not requesters', async () => {
    const since = h.connector.sent.length;
    await h.say('casey', 'offboard ws-042', { kind: 'groupChat' });
    const r = await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= since);
    expect(String(r.activity.text)).toMatch(/not authorized to request/);
  });
});
