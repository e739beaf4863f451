import { cardContent, cardText, startHarness, waitForNewCard, verbs, type Harness } from '../fakes/harness';
import { channel, invokeMessage, waitUntil } from '../fakes/flow';
import { LAB, SIM } from '../../sandbox/defender';
import { BULK_VERBS } from '../../cards/bulk-verbs';

/**
 * Bulk offboarding over HTTP, as Teams and Defender see it: the bot, the simulator with
 * its lab fleet, and the fake Bot Connector. One typed list gives one card; a tag alone
 * asks the requester to confirm the count first; the approved set is the one shown.
 */
let h: Harness;
beforeAll(async () => {
  // Generous rate limits: the approved 120 devices run to the end before the harness closes.
  const fast = { perMinute: 6000, perHour: 100_000 };
  h = await startHarness({
    sim: { lab: true, limits: fast },
    env: { MDE_RATE_PER_MINUTE: String(fast.perMinute), MDE_RATE_PER_HOUR: String(fast.perHour) },
  });
});
afterAll(() => h.close());

/** The confirm prompt the bot sent after `since`. */
async function confirmPrompt(since: number) {
  const sent = await h.connector.waitFor(
    (a) =>
      h.connector.sent.indexOf(a) >= since && cardText(cardContent(a) ?? {}).includes(BULK_VERBS.confirm),
  );
  const card = cardContent(sent)!;
  const action = (card.actions as Array<{ data: Record<string, unknown> }>)[0]!;
  return { sent, card, data: action.data };
}

describe('bulk offboarding in a channel', () => {
  it('a typed list opens one request with exactly those devices and one bulk card', async () => {
    const where = channel('bulk-list');
    const since = h.connector.sent.length;
    const res = await h.say('alex', 'offboard ws-001, ws-002, ws-003 retired lab', where);
    expect(res.status).toBe(200);
    const { requestId, card } = await waitForNewCard(h, since);
    const text = cardText(cardContent(card)!);
    expect(text).toContain('3 devices to offboard');
    expect(text).toContain('ws-003.contoso.local');
    const stored = await h.runtime.store.get(requestId);
    expect(stored?.targets.map((t) => t.computerDnsName)).toEqual([
      'ws-001.contoso.local',
      'ws-002.contoso.local',
      'ws-003.contoso.local',
    ]);
    expect(stored?.comment).toBe('retired lab');
    const cards = h.connector.sent.slice(since).filter((a) => a.op !== 'update' && cardContent(a));
    expect(cards).toHaveLength(1);
  });

  it('a tag alone asks to confirm 120 devices; only the requester can; the approved set is the one shown', async () => {
    const where = channel('bulk-tag');
    const since = h.connector.sent.length;
    await h.say('alex', 'offboard tag:lab-retired decommissioned', where);
    const prompt = await confirmPrompt(since);
    expect(cardText(prompt.card)).toContain(`Offboard ${LAB.tagged} devices?`);
    // No request yet: nothing is stored before the requester confirms.
    expect(
      h.connector.sent.slice(since).some((a) => /"requestId"/.test(cardText(cardContent(a) ?? {}))),
    ).toBe(false);

    const other = await h.click('blair', BULK_VERBS.confirm, prompt.data, where, {
      replyToId: prompt.sent.id,
    });
    expect(invokeMessage(other)).toMatch(/Only the person who typed the command/);
    const forged = await h.click(
      'blair',
      BULK_VERBS.confirm,
      { ...prompt.data, requesterId: 'not-a-person' },
      where,
      { replyToId: prompt.sent.id },
    );
    expect(invokeMessage(forged)).toMatch(/Only the person who typed the command/);

    const before = h.connector.sent.length;
    const ok = await h.click('alex', BULK_VERBS.confirm, prompt.data, where, { replyToId: prompt.sent.id });
    // The prompt becomes a note without its button: a second click cannot open a second request.
    const done = cardText(invokeMessage(ok) as Record<string, unknown>);
    expect(done).toMatch(new RegExp(`opened for ${LAB.tagged} devices`));
    expect(done).not.toContain(BULK_VERBS.confirm);
    const { requestId, card } = await waitForNewCard(h, before);
    expect(cardText(cardContent(card)!)).toContain(`${LAB.tagged} devices to offboard`);

    // A device tagged after the card was posted is not added, not even once approved.
    const late = h.sim.machines.find((m) => m.computerDnsName === LAB.name(LAB.tagged + 1))!;
    late.machineTags.push(LAB.tag);
    const submit = await h.click('alex', verbs.submit, { requestId, comment: 'INC-42 lab retired' }, where, {
      replyToId: card.id,
    });
    expect(typeof invokeMessage(submit)).toBe('object');
    for (const who of ['casey', 'devon'])
      expect(
        typeof invokeMessage(await h.click(who, verbs.approve, { requestId }, where, { replyToId: card.id })),
      ).toBe('object');
    const stored = (await h.runtime.store.get(requestId))!;
    expect(['executing', 'tracking', 'completed']).toContain(stored.state);
    expect(stored.targets).toHaveLength(LAB.tagged);
    expect(stored.targets.some((t) => t.machineId === late.id)).toBe(false);
    // Every approved device is sent to Defender once; the late one never.
    const posted = () => new Set(h.sim.calls.filter((c) => c.operation === 'offboard').map((c) => c.path));
    await waitUntil(() => posted().size >= LAB.tagged, 20_000);
    expect(posted().size).toBe(LAB.tagged);
    expect([...posted()].some((p) => p.includes(late.id))).toBe(false);
  });

  it('refuses a list with a duplicate before asking Defender anything', async () => {
    const lookups = () => h.sim.calls.filter((c) => c.operation === 'listMachines').length;
    const calls = lookups();
    await h.say('alex', 'offboard ws-001, WS-001', channel('bulk-dup'));
    const reply = await h.connector.waitFor((a) => /listed twice/.test(String(a.activity.text ?? '')));
    expect(reply).toBeDefined();
    expect(lookups()).toBe(calls);
  });

  it('answers with the reasons when no device can be offboarded', async () => {
    await h.say('alex', `offboard ${SIM.mac.name}, nope-404`, channel('bulk-none'));
    const reply = await h.connector.waitFor((a) =>
      /None of the 2 devices/.test(String(a.activity.text ?? '')),
    );
    expect(String(reply.activity.text)).toMatch(/not found in Defender \(1\)/);
  });
});
