import { waitForNewCard, verbs, type Harness } from './harness';
import type { Where } from './teams';

/** Steps shared by the end-to-end tests. */
export const channel = (rootId = 'root-1') => ({ kind: 'channel', rootId }) as const;

/** The `value` of an invoke response: a card object (accepted) or a message string (refused). */
export const invokeMessage = (r: { body: unknown }) => (r.body as { value?: unknown })?.value;

/** Alex types `offboard <machine>`, then submits the card with a comment. */
export async function openAndSubmit(h: Harness, where: Where = channel(), machine = 'ws-042') {
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

export async function waitUntil(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const finalReply = (h: Harness, timeoutMs = 15_000) =>
  h.connector.waitFor((a) => a.op !== 'update' && /finished/.test(String(a.activity.text ?? '')), timeoutMs);
