import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PLAYGROUND_IDS } from '../sandbox/playground/config';
import { playgroundFiles } from '../sandbox/playground/paths';
import { SANDBOX_USERS } from '../sandbox/users';
import { expectVisible, offboardWithTwoApprovals, type CardState } from '../test/e2e/flow';
import {
  CHROMIUM,
  cardWith,
  closeAll,
  hasChromium,
  invokeAnswer,
  openAs,
  sendMention,
  type Person,
} from '../test/e2e/playground-browser';
import { startSandbox, type Sandbox } from '../test/e2e/sandbox-process';

/**
 * `npm run screenshots`: the browser test's story, photographed. Writes one PNG per card
 * state under docs/images/ (for the README), from the real sandbox in a real browser.
 */
const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'images');
const VIEW = { width: 1280, height: 1400, deviceScaleFactor: 2 };

const FILES: Partial<Record<CardState, string>> = {
  draft: 'draft.png',
  'refused-self': 'own-approval-refused.png',
  'awaiting-1': 'awaiting-approval.png',
  'in-progress': 'in-progress.png',
  succeeded: 'succeeded.png',
};

/** The card with a margin, plus whatever the Playground shows under it (the invoke answer). */
async function shoot(card: Locator, file: string, below?: Locator): Promise<void> {
  await card.scrollIntoViewIfNeeded();
  const page = card.page();
  await page.mouse.move(0, 0); // no hover highlight on a button
  const a = await card.boundingBox();
  const b = below ? await below.boundingBox() : null;
  if (!a) throw new Error(`card for ${file} is not on screen`);
  const bottom = Math.max(a.y + a.height, b ? b.y + b.height : 0);
  const pad = 12;
  await page.screenshot({
    path: join(OUT, file),
    clip: { x: a.x - pad, y: a.y - pad, width: a.width + 2 * pad, height: bottom - a.y + 2 * pad },
    animations: 'disabled',
  });
  console.log(`  wrote docs/images/${file}`);
}

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(OUT, { recursive: true });
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const work = mkdtempSync(join(ROOT, '.tmp', 'screenshots-'));
  mkdirSync(join(work, 'profiles'));
  let sandbox: Sandbox | undefined;
  const people: Person[] = [];
  try {
    // A Defender action slower than the first status check, so "in progress" can be seen.
    sandbox = await startSandbox({ dataDir: join(work, 'data'), env: { SIMULATOR_ACTION_SECONDS: '10' } });
    const url = sandbox.playgroundUrl;
    for (const key of ['alex', 'casey', 'devon']) {
      const user = SANDBOX_USERS.find((u) => u.key === key);
      if (user) people.push(await openAs(user, url, join(work, 'profiles'), VIEW));
    }
    const [alex, casey, devon] = people as [Person, Person, Person];
    const result = await offboardWithTwoApprovals(alex, [casey, devon], {
      conversation: PLAYGROUND_IDS.groupChat.name,
      device: 'ws-042 Laptop stolen',
      comment: 'Laptop stolen from a car on 3 May, ticket INC-4711',
      requireInProgress: true,
      log: (s) => console.log(`  ${s}`),
      snap: async (state, card) => {
        const file = FILES[state];
        if (file)
          await shoot(
            card,
            file,
            state === 'refused-self' ? invokeAnswer(alex.page, /cannot approve/i) : undefined,
          );
      },
    });
    await overview(alex.page, result.requestId);

    await sendMention(alex.page, PLAYGROUND_IDS.bot.name, 'offboard fin-laptop-07');
    const choose = cardWith(alex.page, /Several devices match/);
    await expectVisible(choose, 'the choose-a-device card for fin-laptop-07');
    await shoot(choose, 'choose-device.png');
  } finally {
    await closeAll(people);
    if (sandbox) {
      await sandbox.stop();
      rmSync(playgroundFiles(ROOT, Number(new URL(sandbox.playgroundUrl).port)).dir, {
        recursive: true,
        force: true,
      });
    }
    rmSync(work, { recursive: true, force: true });
  }
}

/** The whole window: the conversation with the finished card and the bot's final reply. */
async function overview(page: Page, requestId: string): Promise<void> {
  await page
    .getByText(new RegExp(`Request ${requestId} is finished`))
    .last()
    .scrollIntoViewIfNeeded();
  await page.screenshot({
    path: join(OUT, 'playground-group-chat.png'),
    animations: 'disabled',
    scale: 'css',
  });
  console.log('  wrote docs/images/playground-group-chat.png');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
