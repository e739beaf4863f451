import { resolve } from 'node:path';
import { SIM } from '../../sandbox/defender';
import { SANDBOX_USERS } from '../../sandbox/users';
import { cardText, startHarness, verbs, type Harness } from '../fakes/harness';
import { channel, finalReply, invokeMessage, openAndSubmit, waitUntil } from '../fakes/flow';

/**
 * Approvers from the directory end to end (docs/directory.md, "Wiring"): the bot over
 * HTTP, the Defender simulator, and the Graph stand-in answering for the sandbox's
 * Entra groups. Frankie is on no list and approves only through a group.
 */
jest.setTimeout(30_000);

const FRANKIE = SANDBOX_USERS.find((u) => u.key === 'frankie')!.aadObjectId;
const checksFor = (h: Harness, id: string) =>
  h.graph.calls.filter((c) => c.path.toLowerCase().includes(`/users/${id}/checkmembergroups`)).length;

describe('groups from OFFBOARD_APPROVER_GROUPS', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('counts an approver who qualifies only through a group, asking Graph live', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where);
    expect(cardText(h.latestCard(requestId))).toMatch(
      /Rule: .*Default: 2 approvals from the configured approvers/,
    );
    const opts = { replyToId: card.id };
    expect(typeof invokeMessage(await h.click('casey', verbs.approve, { requestId }, where, opts))).toBe(
      'object',
    );
    expect(typeof invokeMessage(await h.click('frankie', verbs.approve, { requestId }, where, opts))).toBe(
      'object',
    );
    expect(String((await finalReply(h)).activity.text)).toMatch(/Succeeded/);
    expect(h.offboardPosts(SIM.healthy.id)).toBe(1);
    // The click and the check before the POST: both asked Graph.
    expect(checksFor(h, FRANKIE)).toBeGreaterThanOrEqual(2);
    await h.runtime.offboarding.idle();
    expect(cardText(h.latestCard(requestId))).toMatch(/Frankie Moss/);
    expect(cardText(h.latestCard(requestId))).not.toMatch(/no longer an approver/);
  });

  it('refuses someone in no group, and says so when Graph cannot answer: nothing counted, nothing lost', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where);
    const opts = { replyToId: card.id };
    expect(invokeMessage(await h.click('emery', verbs.approve, { requestId }, where, opts))).toMatch(
      /not an authorized approver/,
    );
    await h.click('casey', verbs.approve, { requestId }, where, opts);
    await h.runtime.offboarding.idle();
    const before = (await h.runtime.store.get(requestId))!;

    h.graph.setFaults({ down: true });
    expect(invokeMessage(await h.click('frankie', verbs.approve, { requestId }, where, opts))).toMatch(
      /can't verify your group membership right now/,
    );
    h.graph.setFaults({ throttle: { count: 1, retryAfterSeconds: 30 } });
    expect(invokeMessage(await h.click('frankie', verbs.approve, { requestId }, where, opts))).toMatch(
      /can't verify your group membership right now/,
    );
    const after = (await h.runtime.store.get(requestId))!;
    expect(after.version).toBe(before.version);
    expect(after.approvals).toHaveLength(1);
    expect(h.offboardPosts()).toBe(0);

    expect(typeof invokeMessage(await h.click('frankie', verbs.approve, { requestId }, where, opts))).toBe(
      'object',
    );
    expect(String((await finalReply(h)).activity.text)).toMatch(/Succeeded/);
    expect(h.offboardPosts()).toBe(1);
  });

  it('does not POST while Graph cannot confirm the approvers before the call; retries later', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where);
    const opts = { replyToId: card.id };
    // Defender fails the first POSTs, so the request waits in `executing` to retry.
    h.sim.setFaults({ errorRate: 1, errorOperations: ['offboard'] });
    await h.click('casey', verbs.approve, { requestId }, where, opts);
    await h.click('frankie', verbs.approve, { requestId }, where, opts);
    const retried = () => h.logs.filter((l) => /will be retried/.test(l));
    await waitUntil(() => retried().length >= 1, 15_000);
    h.graph.setFaults({ down: true });
    h.sim.setFaults({});
    const posts = h.offboardPosts();
    await waitUntil(() => retried().some((l) => /GraphUnavailable/.test(l)), 15_000);
    expect(h.offboardPosts()).toBe(posts);
    expect((await h.runtime.store.get(requestId))!.state).toBe('executing');
    await waitUntil(() => /Retrying: Microsoft Graph did not answer/.test(cardText(h.latestCard(requestId))));
    h.graph.setFaults({});
    expect(String((await finalReply(h, 20_000)).activity.text)).toMatch(/Succeeded/);
    expect(h.offboardPosts()).toBe(posts + 1);
  });
});

describe('rules per device from POLICY_FILE', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: { POLICY_FILE: resolve(__dirname, '../../policy.example.yaml') } });
  });
  afterEach(() => h.close());

  it('refuses a device whose rule forbids chat, by the rule name, before any card', async () => {
    const sent = h.connector.sent.length;
    await h.say('alex', 'offboard srv-dc-01', channel());
    const reply = await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= sent);
    expect(String(reply.activity.text)).toMatch(/rule "Domain controllers" cannot be offboarded from chat/);
    expect(await h.runtime.store.listByState(['draft'])).toHaveLength(0);
  });

  it('Servers need 3 approvals from Server Owners (nested group included); others are refused', async () => {
    const where = channel();
    const { requestId, card } = await openAndSubmit(h, where, 'srv-web-01');
    expect(cardText(h.latestCard(requestId))).toMatch(/Rule: .*Servers: 3 approvals from Server Owners/);
    const stored = (await h.runtime.store.get(requestId))!;
    expect(stored.rule).toEqual({
      name: 'Servers',
      summary: 'Servers: 3 approvals from Server Owners',
      approvalsRequired: 3,
    });
    const opts = { replyToId: card.id };
    // Blair approves under the environment's list, not under this rule.
    expect(invokeMessage(await h.click('blair', verbs.approve, { requestId }, where, opts))).toMatch(
      /not an authorized approver/,
    );
    await h.click('casey', verbs.approve, { requestId }, where, opts);
    const second = invokeMessage(await h.click('devon', verbs.approve, { requestId }, where, opts));
    expect(cardText(second as Record<string, unknown>)).toMatch(/Approvals: 2 of 3/);
    expect(h.offboardPosts()).toBe(0);
    await h.click('frankie', verbs.approve, { requestId }, where, opts);
    expect(String((await finalReply(h)).activity.text)).toMatch(/Succeeded/);
    expect(h.offboardPosts()).toBe(1);
  });
});
