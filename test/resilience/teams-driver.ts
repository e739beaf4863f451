import type { FakeConnector, SentActivity } from '../fakes/connector';
import { cardContent, cardRequestId } from '../fakes/harness';
import { VERBS } from '../../cards/verbs';
import { invokeActivity, messageActivity, postActivity, TEAM_ID, user, type Where } from '../fakes/teams';

/**
 * Teams as the resilience tests drive it: activities posted to whichever bot is running
 * now (in process or a child that restarts on a new port), and what the bot sent, read
 * back from the fake Bot Connector. Each request lives in a channel thread of its own.
 */
export interface Teams {
  connector: FakeConnector;
  /** serviceUrl the activities carry: the connector, or a gate in front of it. */
  serviceUrl: string;
  botUrl(): string;
}

export const thread = (rootId: string): Where => ({ kind: 'channel', rootId });
export const threadId = (rootId: string): string => `${TEAM_ID};messageid=${rootId}`;

export const say = (t: Teams, who: string, text: string, where: Where) =>
  postActivity(t.botUrl(), messageActivity({ serviceUrl: t.serviceUrl, from: user(who), text, where }));

export const click = (t: Teams, who: string, verb: string, data: Record<string, unknown>, where: Where) =>
  postActivity(t.botUrl(), invokeActivity({ serviceUrl: t.serviceUrl, from: user(who), verb, data, where }));

/** The invoke answer's value: a card (accepted) or a message to the clicker (refused). */
export const invokeValue = (r: { body: unknown }): unknown =>
  (r.body as { value?: unknown } | undefined)?.value;
export const accepted = (r: { body: unknown }): boolean => typeof invokeValue(r) === 'object';

/** Cards posted (not updates) into this thread. */
export const cardsIn = (c: FakeConnector, rootId: string): SentActivity[] =>
  c.sent.filter((a) => a.op !== 'update' && a.conversationId === threadId(rootId) && cardRequestId(a));

/** `offboard <device>` in the thread; the request id from the card the bot posts there. */
export async function open(t: Teams, who: string, device: string, rootId: string): Promise<string> {
  const res = await say(t, who, `offboard ${device}`, thread(rootId));
  if (res.status !== 200) throw new Error(`offboard ${device}: HTTP ${res.status}`);
  const card = await t.connector.waitFor((a) => cardsIn(t.connector, rootId).includes(a), 15_000);
  return cardRequestId(card)!;
}

export const finalNotices = (c: FakeConnector, requestId: string): SentActivity[] =>
  c.sent.filter(
    (a) => a.op !== 'update' && String(a.activity.text ?? '').includes(`Request ${requestId} is finished`),
  );

export const waitFinal = (c: FakeConnector, requestId: string, timeoutMs = 30_000): Promise<SentActivity> =>
  c.waitFor((a) => finalNotices(c, requestId).includes(a), timeoutMs);

/** The card as Teams shows it now: the latest version of the activity. */
export function cardNow(c: FakeConnector, activityId: string | undefined): string {
  const a = activityId ? c.latest(activityId) : undefined;
  return a ? JSON.stringify(cardContent(a) ?? {}) : '';
}

/** Polls until `pred` holds; the error names what was awaited. */
export async function until(
  pred: () => boolean,
  what: string,
  timeoutMs = 15_000,
  everyMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls an async reading until it gives a value. */
export async function untilValue<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A request opened and submitted by `requester`, then approved by Casey: one click from execution. */
export async function oneApprovalAway(
  t: Teams,
  device: string,
  rootId: string,
  requester = 'alex',
): Promise<string> {
  const requestId = await open(t, requester, device, rootId);
  const where = thread(rootId);
  const submit = await click(t, requester, VERBS.submit, { requestId, comment: 'resilience test' }, where);
  const approve = await click(t, 'casey', VERBS.approve, { requestId }, where);
  if (!accepted(submit) || !accepted(approve))
    throw new Error(
      `could not prepare ${requestId}: submit ${JSON.stringify(submit).slice(0, 300)}, approve ${JSON.stringify(approve).slice(0, 300)}`,
    );
  return requestId;
}

/** Devon's deciding approval. */
export async function decide(t: Teams, requestId: string, rootId: string): Promise<void> {
  const res = await click(t, 'devon', VERBS.approve, { requestId }, thread(rootId));
  if (!accepted(res)) throw new Error(`the deciding approval of ${requestId} was refused`);
}
