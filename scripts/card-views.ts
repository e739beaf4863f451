/**
 * `npm run screenshots:views`: one request awaiting approval as three people see it
 * (Universal Actions user-specific views, README "Approvers from the directory"): the
 * approver's, the requester's and anyone else's card side by side, written to
 * docs/images/card-views.png. The cards come from the bot's own render function, the
 * pictures from the adaptivecards renderer in a local page (no network, no sandbox).
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { renderRequestCard } from '../cards/request-card';
import type { ApprovalView, CardViewer } from '../cards/request-view';
import { NOW, people, requestFixtures } from '../test/fakes/requests';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../test/e2e/playground-browser';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'images', 'card-views.png');
const AC_DIST = join(ROOT, 'node_modules', 'adaptivecards', 'dist');

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

/** Close to Teams' light theme; only what the request card uses. */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'DejaVu Sans', sans-serif",
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E1DFDD' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#6264A7' },
        good: { default: '#0E700E', subtle: '#107C10' },
        warning: { default: '#835B00', subtle: '#8A6100' },
        attention: { default: '#C4314B', subtle: '#A4262C' },
      },
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#6264A7' },
        good: { default: '#0E700E', subtle: '#107C10' },
        warning: { default: '#835B00', subtle: '#8A6100' },
        attention: { default: '#C4314B', subtle: '#A4262C' },
      },
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    showCard: { actionMode: 'inline', inlineTopMargin: 12 },
  },
};

const PAGE_CSS = `
  body { margin: 0; background: #F5F5F5; font-family: 'Segoe UI', 'DejaVu Sans', sans-serif; }
  #views { display: flex; gap: 24px; align-items: flex-start; padding: 24px; width: max-content; }
  .view { width: 480px; }
  .caption { font-size: 18px; font-weight: 600; color: #242424; margin: 0 0 8px 4px; }
  .card { background: #fff; border: 1px solid #E1DFDD; border-radius: 6px; overflow: hidden; }
  .ac-pushButton { padding: 4px 12px; min-height: 32px; border-radius: 4px; font: 600 14px 'Segoe UI', 'DejaVu Sans', sans-serif;
    border: 1px solid #D1D1D1; background: #fff; color: #242424; cursor: pointer; }
  .ac-pushButton.primary, .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #fff; }
  .ac-pushButton.expandable::after { content: none; } /* an icon-font glyph this font lacks */
  .ac-pushButton.style-destructive { color: #C4314B; }
  .ac-input { font: 14px 'Segoe UI', 'DejaVu Sans', sans-serif; border: 1px solid #D1D1D1; border-radius: 4px; padding: 6px; }
  .none { color: #616161; font-size: 13px; margin: 8px 4px; }
`;

/**
 * Runs in the page: TextBlock Markdown the way the bot writes it (format.ts markdownText
 * escapes with backslashes; the templates use **bold**), then each card with a caption.
 */
function pageScript(views: { caption: string; card: unknown }[], hostConfig: unknown): string {
  return `
    const AC = window.AdaptiveCards;
    const html = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
    AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
      const slots = [];
      let out = text.replace(/\\\\(.)/g, (_, c) => '\\u0000' + (slots.push(c) - 1) + '\\u0000');
      out = html(out).replace(/\\*\\*(.+?)\\*\\*/g, '<strong>$1</strong>').replace(/\\n/g, '<br>');
      out = out.replace(/\\u0000(\\d+)\\u0000/g, (_, i) => html(slots[Number(i)]));
      result.outputHtml = out;
      result.didProcess = true;
    };
    const root = document.getElementById('views');
    for (const { caption, card } of ${JSON.stringify(views)}) {
      const view = document.createElement('div');
      view.className = 'view';
      const title = document.createElement('div');
      title.className = 'caption';
      title.textContent = caption;
      const ac = new AC.AdaptiveCard();
      ac.hostConfig = new AC.HostConfig(${JSON.stringify(hostConfig)});
      ac.parse(card);
      const box = document.createElement('div');
      box.className = 'card';
      box.appendChild(ac.render());
      view.append(title, box);
      const buttons = (card.actions || []).length + JSON.stringify(card.body).split('"Action.Execute"').length - 1;
      if (!buttons) {
        const none = document.createElement('div');
        none.className = 'none';
        none.textContent = 'No buttons: read-only';
        view.appendChild(none);
      }
      root.appendChild(view);
    }
    document.body.dataset.ready = 'yes';
  `;
}

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const views = cards();
  const page = `<!doctype html><html><head><meta charset="utf-8"><style>${readFileSync(
    join(AC_DIST, 'adaptivecards.css'),
    'utf8',
  )}${PAGE_CSS}</style></head><body><div id="views"></div></body></html>`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      deviceScaleFactor: 2,
    });
    // Nothing leaves the machine: the page and the library are inlined.
    await context.route('**/*', (route) => route.abort());
    const tab = await context.newPage();
    await tab.setContent(page);
    await tab.addScriptTag({ content: readFileSync(join(AC_DIST, 'adaptivecards.min.js'), 'utf8') });
    await tab.addScriptTag({ content: pageScript(views, HOST_CONFIG) });
    await tab.waitForSelector('body[data-ready="yes"]');
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
