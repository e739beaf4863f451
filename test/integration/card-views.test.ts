import { cardText, startHarness, verbs, type Harness } from '../fakes/harness';
import { channel, invokeMessage, openAndSubmit } from '../fakes/flow';

/**
 * User-specific views (issue #13, part 3): the posted card lists the Teams ids of the
 * requester and the roster's approvers in `refresh.userIds` and carries no buttons of its
 * own; Teams' refresh invoke (sent here as the fake connector's client would) answers
 * each viewer with their own card.
 */
jest.setTimeout(30_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const verbsOf = (card: unknown) =>
  [...cardText(card as Record<string, unknown>).matchAll(/"verb":"([a-zA-Z.]+)"/g)].map((m) => m[1]);

it('lists the viewers on the shared card and answers each refresh with their own view', async () => {
  const where = channel('root-views');
  const { requestId, card } = await openAndSubmit(h, where);
  await h.runtime.offboarding.idle();
  const shared = h.latestCard(requestId) as {
    refresh?: { action: { verb: string; data: unknown }; userIds: string[] };
  };
  expect(shared.refresh?.action).toEqual({
    type: 'Action.Execute',
    verb: verbs.refresh,
    data: { requestId },
  });
  // The requester first, then the approvers in roster order (Frankie through the group).
  expect(shared.refresh?.userIds).toEqual([
    '29:sandbox-alex',
    '29:sandbox-blair',
    '29:sandbox-casey',
    '29:sandbox-devon',
    '29:sandbox-frankie',
  ]);
  expect(verbsOf(shared)).toEqual([verbs.refresh]); // only the refresh action itself

  const view = async (who: string) =>
    invokeMessage(await h.click(who, verbs.refresh, { requestId }, where, { replyToId: card.id }));
  const casey = await view('casey');
  expect(verbsOf(casey)).toEqual(expect.arrayContaining([verbs.approve, verbs.reject]));
  expect(verbsOf(casey)).not.toContain(verbs.cancel);
  const alex = await view('alex');
  expect(verbsOf(alex)).toContain(verbs.cancel);
  expect(verbsOf(alex)).not.toContain(verbs.approve);
  expect(cardText(alex as Record<string, unknown>)).toMatch(/2 more approvals needed/);
  // The requester is told who can still approve (the rule's approvers in the conversation).
  expect(cardText(alex as Record<string, unknown>)).toMatch(/Casey Okafor/);
  expect(cardText(casey as Record<string, unknown>)).not.toMatch(/can approve/i);
  // Emery is on no list: the read rule answers with text, not a card.
  expect(typeof (await view('emery'))).toBe('string');

  // An approval answers the approver with their own view; the shared card is updated by
  // the notifier, not replaced by that view.
  const approved = await h.click('blair', verbs.approve, { requestId }, where, { replyToId: card.id });
  expect(verbsOf(invokeMessage(approved))).toEqual([verbs.refresh]); // approved: nothing left to click
  await h.runtime.offboarding.idle();
  expect(verbsOf(h.latestCard(requestId))).toEqual([verbs.refresh]);
  expect(cardText(h.latestCard(requestId))).toMatch(/Blair Chen/);
});
