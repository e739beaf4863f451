/**
 * `npm run screenshots:views`: the README's pictures of cards drawn from the bot's own render
 * functions by the adaptivecards renderer in a local page (no network, no sandbox):
 * - docs/images/card-views.png: one request awaiting approval as three people see it
 *   (Universal Actions user-specific views, README "Approvers from the directory");
 * - docs/images/bulk-card.png: a lab clean-up of 140 devices being sent at Defender's pace,
 *   with its counts and the last device's ETA (README "Bulk clean-ups");
 * - docs/images/card-ru.png: the approval card in Russian, dates as a Russian Teams writes
 *   them (README "Languages").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { renderRequestCard as renderAnyCard } from '../bot/teams/bulk-card-route';
import { renderRequestCard } from '../cards/request-card';
import type { ApprovalView, CardViewer } from '../cards/request-view';
import { bulkFixtures } from '../test/fakes/bulk-requests';
import { NOW, people, requestFixtures } from '../test/fakes/requests';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../test/e2e/playground-browser';
import { openCardPage } from '../test/e2e/card-page';

const ROOT = join(__dirname, '..');
const IMAGES = join(ROOT, 'docs', 'images');

type View = { caption: string; card: unknown };

const VIEWS: { caption: string; viewer: CardViewer }[] = [
  { caption: 'Approver', viewer: 'approver' },
  { caption: 'Requester', viewer: 'requester' },
  { caption: 'Anyone else', viewer: 'other' },
];

const policy: ApprovalView = {
  approvers: new Set([people.alice.aadObjectId, people.bob.aadObjectId]),
  approvalsRequired: 2,
};

/** The three cards, as the bot answers each person's refresh (bot/teams/handlers.ts viewFor). */
function viewerCards(): View[] {
  const request = requestFixtures()['awaiting approval, 1 approval']!;
  const userIds = [people.requester.teamsId, people.alice.teamsId, people.bob.teamsId];
  return VIEWS.map(({ caption, viewer }) => ({
    caption,
    card: renderRequestCard(request, { now: NOW, policy, viewer, userIds }),
  }));
}

/** Through the route the bot uses, so the card gets bulkProgress and its ETA. */
function bulkCard(): View[] {
  const request = bulkFixtures()['executing, queued with an ETA']!;
  return [
    { caption: 'offboard tag:lab-retired, approved', card: renderAnyCard(request, { now: NOW, policy }) },
  ];
}

function russianCard(): View[] {
  const request = {
    ...requestFixtures()['awaiting approval, 1 approval']!,
    comment:
      'INC-4711: ноутбук украден 28.11.2026, заявление в полицию подано.\nIntune уже отправил очистку.',
  };
  return [
    {
      caption: 'Карточка запроса на утверждение',
      card: renderRequestCard(request, { now: NOW, policy, locale: 'ru' }),
    },
  ];
}

async function shoot(
  browser: Browser,
  views: View[],
  file: string,
  scale: number,
  locale?: string,
): Promise<void> {
  const tab = await openCardPage(browser, views, { deviceScaleFactor: scale, locale });
  await tab.locator('#views').screenshot({ path: join(IMAGES, file), animations: 'disabled' });
  await tab.context().close();
  console.log(`  wrote docs/images/${file}`);
}

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(IMAGES, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    await shoot(browser, viewerCards(), 'card-views.png', 2);
    await shoot(browser, bulkCard(), 'bulk-card.png', 1.25);
    // The renderer writes {{DATE()}}/{{TIME()}} in the browser's language, as Teams does in the viewer's.
    await shoot(browser, russianCard(), 'card-ru.png', 1.25, 'ru-RU');
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
