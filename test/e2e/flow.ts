import type { Locator } from 'playwright-core';
import { PLAYGROUND_IDS } from '../../sandbox/playground/config';
import {
  cardWith,
  clickCardButton,
  invokeAnswer,
  openConversation,
  sendMention,
  typeInCard,
  type Person,
} from './playground-browser';

/**
 * The offboarding story through the Playground's page, as people would live it: the
 * requester @mentions the bot, writes the comment on the card and asks for approval; their
 * own "Approve" is refused; two other people approve from their own browsers; the card
 * follows the Defender action to Succeeded and the bot posts the outcome. Each step waits
 * for what the next person would see, so a broken step fails with its own message.
 * Shared by test/e2e/browser.test.ts and scripts/screenshots.ts (which passes `snap`).
 */
export type CardState = 'draft' | 'awaiting-0' | 'refused-self' | 'awaiting-1' | 'in-progress' | 'succeeded';

export interface FlowOptions {
  conversation: string;
  device: string;
  comment: string;
  /** Wait to see "Offboarding in progress" (needs a Defender action slower than the tracking). */
  requireInProgress?: boolean;
  snap?: (state: CardState, card: Locator) => Promise<void>;
  log?: (step: string) => void;
}

export interface FlowResult {
  requestId: string;
  /** Milliseconds from the first message to each step. */
  timings: Record<string, number>;
  /** The refusal text the requester saw, and whether the card text stayed the same. */
  selfApproval: { message: string; cardUnchanged: boolean };
  finalReply: string;
}

const BOT = PLAYGROUND_IDS.bot.name;

export async function offboardWithTwoApprovals(
  requester: Person,
  approvers: [Person, Person],
  o: FlowOptions,
): Promise<FlowResult> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const step = (name: string) => {
    timings[name] = Date.now() - t0;
    o.log?.(`${name} after ${timings[name]} ms`);
  };
  const snap = async (state: CardState, card: Locator) => o.snap && (await o.snap(state, card));
  for (const p of [requester, ...approvers]) await openConversation(p.page, o.conversation);

  const page = requester.page;
  await sendMention(page, BOT, `offboard ${o.device}`);
  const draft = cardWith(page, /Draft/);
  await expectVisible(draft, `the draft card for ${o.device} (after "@${BOT} offboard ${o.device}")`);
  const requestId = (/Request (OFB-[0-9A-Z]+)/.exec(await draft.innerText()) ?? [])[1] ?? '';
  if (!requestId) throw new Error(`no request id on the draft card: ${await draft.innerText()}`);
  step('draft card');
  await typeInCard(draft, /Ticket number/i, o.comment);
  await snap('draft', draft);
  await clickCardButton(draft, 'Request approval');

  const awaiting = cardWith(page, /Awaiting approval \(0 of 2\)/);
  await expectVisible(awaiting, 'the card awaiting approval (0 of 2) after "Request approval"');
  await expectVisible(awaiting.getByText(o.comment), 'the locked comment on the card');
  step('approval requested');
  await snap('awaiting-0', awaiting);

  // The requester's own approval must be refused, and the card must not change.
  const before = await awaiting.innerText();
  await clickCardButton(awaiting, 'Approve');
  const refusal = invokeAnswer(page, /cannot approve/i);
  await expectVisible(refusal, "the refusal of the requester's own approval");
  const message = await refusal.innerText();
  const cardUnchanged = (await cardWith(page, requestId).innerText()) === before;
  step('self-approval refused');
  await snap('refused-self', cardWith(page, requestId));

  const [first, second] = approvers;
  const firstCard = cardWith(first.page, /Awaiting approval \(0 of 2\)/);
  await expectVisible(firstCard, `the card awaiting approval in ${first.user.name}'s browser`);
  await clickCardButton(firstCard, 'Approve');
  const one = cardWith(first.page, /Awaiting approval \(1 of 2\)/);
  await expectVisible(one, `the card with 1 of 2 approvals after ${first.user.name} approved`);
  step(`${first.user.key} approved`);
  await snap('awaiting-1', one);

  const secondCard = cardWith(second.page, /Awaiting approval \(1 of 2\)/);
  await expectVisible(secondCard, `the card with 1 of 2 approvals in ${second.user.name}'s browser`);
  await clickCardButton(secondCard, 'Approve');
  step(`${second.user.key} approved`);

  if (o.requireInProgress) {
    const running = cardWith(page, /Offboarding in progress/);
    await expectVisible(running, 'the card tracking the Defender action (Offboarding in progress)', 30_000);
    step('in progress');
    await snap('in-progress', running);
  }
  const done = cardWith(page, requestId).filter({ hasText: /Defender status\s*Succeeded/ });
  await expectVisible(done, 'the card showing the Defender action Succeeded', 60_000);
  step('succeeded');
  const reply = page.getByText(new RegExp(`Request ${requestId} is finished`)).last();
  await expectVisible(reply, 'the final reply in the thread', 30_000);
  const finalReply = await reply.locator('xpath=..').innerText();
  step('final reply');
  await snap('succeeded', done);
  return { requestId, timings, selfApproval: { message, cardUnchanged }, finalReply };
}

export async function expectVisible(l: Locator, what: string, timeout = 20_000): Promise<void> {
  try {
    await l.waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`Not seen within ${timeout / 1000} s: ${what}.`);
  }
}
