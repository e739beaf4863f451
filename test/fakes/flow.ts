import { waitForNewCard, verbs, type Harness } from './harness';
import { channel, type Where } from './teams';

/** Steps shared by the end-to-end, hostile and resilience tests. */
export { channel };

/** The `value` of an invoke response: a card object (accepted) or a message string (refused). */
export const invokeMessage = (r: { body: unknown }): unknown => (r.body as { value?: unknown })?.value;

/** Alex types `offboard <machine>`; resolves with the new request's id and card. */
export async function openRequest(
  h: Harness,
  where: Where = channel(),
  machine = 'ws-042',
  tenantId?: string,
) {
  const since = h.connector.sent.length;
  const res = await h.say('alex', `offboard ${machine}`, where, tenantId);
  if (res.status !== 200) throw new Error(`offboard answered ${res.status}`);
  return waitForNewCard(h, since);
}

/** Alex types `offboard <machine>`, then submits the card with a comment. */
export async function openAndSubmit(
  h: Harness,
  where: Where = channel(),
  machine = 'ws-042',
  tenantId?: string,
) {
  const opened = await openRequest(h, where, machine, tenantId);
  const res = await h.click(
    'alex',
    verbs.submit,
    { requestId: opened.requestId, comment: 'Laptop stolen' },
    where,
    { replyToId: opened.card.id, tenantId },
  );
  if (res.status !== 200 || typeof invokeMessage(res) !== 'object')
    throw new Error(`submit refused (${res.status}): ${String(invokeMessage(res))}`);
  return opened;
}

export async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const finalReply = (h: Harness, timeoutMs = 15_000) =>
  h.connector.waitFor((a) => a.op !== 'update' && /finished/.test(String(a.activity.text ?? '')), timeoutMs);
