/**
 * A local page that renders cards with the adaptivecards library (the renderer the
 * Teams web client and the Playground are built on), close to Teams' light theme: used
 * by scripts/card-views.ts for pictures and by test/e2e/cards-narrow.test.ts to
 * measure button titles on a narrow card. No network: the page and library are inlined.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Teams' light theme text colours, the same on plain and emphasis containers. */
const TEXT_COLORS = {
  default: { default: '#242424', subtle: '#616161' },
  accent: { default: '#5B5FC7', subtle: '#6264A7' },
  good: { default: '#0E700E', subtle: '#107C10' },
  warning: { default: '#835B00', subtle: '#8A6100' },
  attention: { default: '#C4314B', subtle: '#A4262C' },
};

const AC_DIST = join(__dirname, '..', '..', 'node_modules', 'adaptivecards', 'dist');

/** Close to Teams' light theme; only what the request card uses. */
export const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'DejaVu Sans', sans-serif",
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E1DFDD' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: TEXT_COLORS,
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: TEXT_COLORS,
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

export const PAGE_CSS = `
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
export function pageScript(views: { caption: string; card: unknown }[], hostConfig: unknown): string {
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

/** Opens the page with `views` rendered, each card `width` pixels wide. */
export async function openCardPage(
  browser: Browser,
  views: { caption: string; card: unknown }[],
  opts: {
    width?: number;
    /** How buttons are laid out: Teams desktop puts them in a row; `vertical` stacks them. */
    orientation?: 'horizontal' | 'vertical';
    viewport?: { width: number; height: number };
    deviceScaleFactor?: number;
    /** The browser's language, in which the renderer writes {{DATE()}}/{{TIME()}} (Teams: the viewer's). */
    locale?: string;
  } = {},
): Promise<Page> {
  const css = `${readFileSync(join(AC_DIST, 'adaptivecards.css'), 'utf8')}${PAGE_CSS}${
    opts.width ? `.view { width: ${opts.width}px; }` : ''
  }`;
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  // Nothing leaves the machine: the page and the library are inlined.
  await context.route('**/*', (route) => route.abort());
  const tab = await context.newPage();
  await tab.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body><div id="views"></div></body></html>`,
  );
  await tab.addScriptTag({ content: readFileSync(join(AC_DIST, 'adaptivecards.min.js'), 'utf8') });
  const hostConfig = opts.orientation
    ? { ...HOST_CONFIG, actions: { ...HOST_CONFIG.actions, actionsOrientation: opts.orientation } }
    : HOST_CONFIG;
  await tab.addScriptTag({ content: pageScript(views, hostConfig) });
  await tab.waitForSelector('body[data-ready="yes"]');
  return tab;
}
