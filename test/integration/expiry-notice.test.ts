import { needsFinalNotice } from '../../bot/request/delivery-state';
import { cardText, startHarness, type Harness } from '../fakes/harness';
import { channel, openAndSubmit, waitUntil } from '../fakes/flow';

/** At expiry the card shows Expired and one reply @mentions the requester, also across a restart. */
jest.setTimeout(30_000);

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ maintenanceMs: 200 });
});
afterEach(() => h.close());

const expiryNotices = (requestId: string) =>
  h.connector.sent.filter(
    (a) => a.op !== 'update' && String(a.activity.text ?? '').includes(`Request ${requestId} expired`),
  );

it('posts one expiry reply that mentions the requester, exactly once across a restart', async () => {
  const where = channel('root-exp');
  const { requestId, card } = await openAndSubmit(h, where);
  h.advance(25 * 3600_000);
  await waitUntil(() => expiryNotices(requestId).length > 0);
  const [notice] = expiryNotices(requestId);
  expect(notice!.conversationId).toBe(card.conversationId);
  expect(String(notice!.activity.text)).toMatch(
    /^<at>Alex Rivera<\/at> Request OFB-\w{8} expired without enough approvals: nothing was sent to Defender/,
  );
  await h.runtime.offboarding.idle();
  expect(cardText(h.latestCard(requestId))).toMatch(/Expired/);
  const stored = (await h.runtime.store.get(requestId))!;
  expect(stored.delivery?.finalNoticeAt).toBeDefined();
  expect(needsFinalNotice(stored)).toBe(false);

  await h.restart();
  await new Promise((r) => setTimeout(r, 800)); // several sweeps
  expect(expiryNotices(requestId)).toHaveLength(1);
  expect(h.offboardPosts()).toBe(0);
});
