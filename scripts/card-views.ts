/**
 * `npm run screenshots:views`: one request awaiting approval as three people see it
 * (Universal Actions user-specific views, README "Approvers from the directory"): the
 * approver's, the requester's and anyone else's card side by side, written to
 * docs/images/card-views.png. The cards come from the bot's own render function, the
 * pictures from the adaptivecards renderer in a local page (no network, no sandbox).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { renderRequestCard } from '../cards/request-card';
import type { ApprovalView, CardViewer } from '../cards/request-view';
import { NOW, people, requestFixtures } from '../test/fakes/requests';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../test/e2e/playground-browser';
import { openCardPage } from '../test/e2e/card-page';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'images', 'card-views.png');

const VIEWS: { caption: string; viewer: CardViewer }[] = [
  { caption: 'Approver', viewer: 'approver' },
  { caption: 'Requester', viewer: 'requester' },
  { caption: 'Anyone else', viewer: 'other' },
];

/** The three cards, as the bot answers each person's refresh (bot/teams/handlers.ts viewFor). */
function cards(): { caption: string; card: unknown }[] {
  const request = requestFixtures()['awaiting approval, 1 approval']!;
  const policy: ApprovalView = {
    approvers: new Set([people.alice.aadObjectId, people.bob.aadObjectId]),
    approvalsRequired: 2,
  };
  const userIds = [people.requester.teamsId, people.alice.teamsId, people.bob.teamsId];
  return VIEWS.map(({ caption, viewer }) => ({
    caption,
    card: renderRequestCard(request, { now: NOW, policy, viewer, userIds }),
  }));
}

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const tab = await openCardPage(browser, cards(), { deviceScaleFactor: 2 });
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    await tab.locator('#views').screenshot({ path: OUT, animations: 'disabled' });
    console.log('  wrote docs/images/card-views.png');
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
