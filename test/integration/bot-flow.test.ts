import { SIM } from '../../sandbox/defender';
import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { openSqliteStore } from '../../bot/store';
import { decide } from '../../bot/approval/policy';
import { user } from '../fakes/teams';
import { cardText, startHarness, waitForNewCard, verbs, type Harness } from '../fakes/harness';

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

const channel = (rootId = 'root-1') => ({ kind: 'channel', rootId }) as const;
const invokeMessage = (r: { body: unknown }) => (r.body as { value?: unknown })?.value;

async function openAndSubmit(where = channel(), machine = 'ws-042') {
  const since = h.connector.sent.length;
  const res = await h.say('alex', `offboard ${machine}`, where);
  expect(res.status).toBe(200);
  const { requestId, card } = await waitForNewCard(h, since);
  const submit = await h.click('alex', verbs.submit, { requestId, comment: 'Laptop stolen' }, where, {
    replyToId: card.id,
  });
  expect(submit.status).toBe(200);
  return { requestId, card };
}

describe('offboard in a channel thread, two approvers', () => {
  it('posts the card in the thread, offboards exactly once and reports Succeeded in the thread', async () => {
    const where = channel('root-42');
    const { requestId, card } = await openAndSubmit(where);
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
    const { requestId, card } = await openAndSubmit(where);
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
    const { requestId, card } = await openAndSubmit(where);
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
    const a = await openAndSubmit(where);
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

    const b = await openAndSubmit(channel('root-2'));
    const cancel = await h.click('alex', verbs.cancel, { requestId: b.requestId }, channel('root-2'));
    expect(cardText(invokeMessage(cancel) as Record<string, unknown>)).toMatch(/Cancelled/i);
    expect(h.offboardPosts()).toBe(0);
    await h.runtime.offboarding.idle();
    expect(cardText(h.latestCard(b.requestId))).toMatch(/Cancelled/i);
  });

  it('expires a request past its TTL (injected clock) and refuses later approvals', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(where);
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
    const { requestId } = await openAndSubmit(where);
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
    expect(await h.runtime.offboarding.status('OFB-00000000', undefined)).toBeUndefined();
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

describe('Defender limits and restarts', () => {
  it('waits for Retry-After on a 429 during execution, then succeeds', async () => {
    const where = channel();
    const { requestId } = await openAndSubmit(where);
    await h.click('casey', verbs.approve, { requestId }, where);
    h.sim.setFaults({ storm429: { remaining: 1, retryAfterSeconds: 2 } });
    const t0 = Date.now();
    await h.click('devon', verbs.approve, { requestId }, where);
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 20_000);
    const throttled = h.sim.calls.find((c) => c.status === 429)!;
    const after = h.sim.calls.filter((c) => c.operation === throttled.operation && c.at > throttled.at);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]!.at - throttled.at).toBeGreaterThanOrEqual(2000);
    expect(h.offboardPosts()).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  });

  it('a restart during tracking loses nothing and posts no second offboard', async () => {
    await h.restart({ SIMULATOR_ACTION_SECONDS: '1' });
    const where = channel();
    const { requestId } = await openAndSubmit(where);
    await h.click('casey', verbs.approve, { requestId }, where);
    await h.click('devon', verbs.approve, { requestId }, where);
    await h.sim.calls.length;
    await waitUntil(() => h.offboardPosts() === 1);
    await h.restart();
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
    expect(cardText(h.latestCard(requestId))).toMatch(/Succeeded/);
  });
});

async function waitUntil(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('crash recovery between approval and execution', () => {
  /** Leaves the store exactly as a process killed right after the deciding approval's write would. */
  async function approvedThenCrashed(): Promise<string> {
    const where = channel();
    const { requestId } = await openAndSubmit(where);
    await h.click('casey', verbs.approve, { requestId }, where);
    await h.runtime.stop();
    const store = openSqliteStore({ dataDir: h.dataDir });
    const r = (await store.get(requestId))!;
    const d = decide(
      r,
      { kind: 'approve' },
      {
        actor: { aadObjectId: user('devon').aadObjectId, name: 'Devon Larsen' },
        tenantId: SANDBOX_TENANT_ID,
        conversationId: r.conversation.conversationId,
        now: Date.now(),
        roster: {
          requesters: new Set(),
          approvers: new Set([user('devon').aadObjectId]),
          allowedTenantIds: new Set([SANDBOX_TENANT_ID]),
        },
      },
    );
    if (!d.ok || !d.execute) throw new Error('expected the deciding approval');
    await store.update(d.request);
    await store.close();
    return requestId;
  }

  it('executes once after a restart that found the request approved but not yet sent', async () => {
    const requestId = await approvedThenCrashed();
    expect(h.offboardPosts()).toBe(0);
    await h.restart();
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
    expect(cardText(h.latestCard(requestId))).toMatch(/Succeeded/);
  });

  it('adopts the action a lost POST created instead of posting again', async () => {
    const requestId = await approvedThenCrashed();
    // The crashed process's POST reached Defender, but its answer never got stored.
    await fetch(`${h.sim.url}/api/machines/${SIM.healthy.id}/offboard`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      body: JSON.stringify({ Comment: `lost answer ${requestId}` }),
    });
    await h.restart();
    await h.connector.waitFor((a) => /finished/.test(String(a.activity.text ?? '')), 15_000);
    expect(h.offboardPosts()).toBe(1);
    const audit = await (async () => {
      const s = openSqliteStore({ dataDir: h.dataDir });
      try {
        return await s.audit();
      } finally {
        await s.close();
      }
    })();
    expect(audit.filter((a) => a.requestId === requestId).map((a) => a.event)).toContain('action_found');
  });
});

describe('Teams side', () => {
  it('retries sends to Teams on 429 and 5xx', async () => {
    h.connector.faults.failNext = { count: 2, status: 429 };
    const since = h.connector.sent.length;
    await h.say('alex', 'offboard ws-042', channel());
    const { requestId } = await waitForNewCard(h, since);
    expect(requestId).toMatch(/^OFB-/);
    h.connector.faults.failNext = { count: 1, status: 503 };
    await h.say('alex', 'help', { kind: 'personal', userKey: 'alex' });
    await h.connector.waitFor((a) => /offboard/.test(String(a.activity.text ?? '')));
  });

  it('answers status and help', async () => {
    const { requestId } = await openAndSubmit();
    const since = h.connector.sent.length;
    await h.say('blair', `status ${requestId}`, { kind: 'personal', userKey: 'blair' });
    const reply = await h.connector.waitFor(
      (a) => h.connector.sent.indexOf(a) >= since && Boolean(a.activity.text),
    );
    expect(String(reply.activity.text)).toMatch(/awaiting approval \(0 of 2\)/);
    const s2 = h.connector.sent.length;
    await h.say('blair', 'ofboard ws-042', { kind: 'personal', userKey: 'blair' });
    const hint = await h.connector.waitFor(
      (a) => h.connector.sent.indexOf(a) >= s2 && Boolean(a.activity.text),
    );
    expect(String(hint.activity.text)).toMatch(/Did you mean `offboard`/);
  });
});
