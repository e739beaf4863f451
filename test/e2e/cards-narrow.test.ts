/**
 * Button titles fit a narrow card in both languages (docs/i18n.md, "Button titles"):
 * every card with buttons, rendered by the adaptivecards library (the renderer of the
 * Teams web client and the Playground) in Chromium, stacked on a 320 px card as on a
 * phone and in a row on a 400 px card as on the desktop. A title cut off with an
 * ellipsis, or a button running past the card's edge, fails.
 */
import { chromium, type Browser } from 'playwright-core';
import { LOCALES, type Locale } from '../../bot/i18n';
import { renderChooseDeviceCard } from '../../cards/choose-device-card';
import { renderRequestCard } from '../../cards/request-card';
import { machine, NOW, requestFixtures } from '../fakes/requests';
import { openCardPage } from './card-page';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from './playground-browser';

jest.setTimeout(60_000);

/** The cards that carry buttons: each distinct set of titles once. */
function cardsWithButtons(locale: Locale): { caption: string; card: unknown }[] {
  const f = requestFixtures();
  const opts = { now: NOW, locale };
  return [
    ...['draft', 'awaiting approval, 1 approval', 'executing'].map((name) => ({
      caption: name,
      card: renderRequestCard(f[name]!, opts),
    })),
    { caption: 'choose device', card: renderChooseDeviceCard('ws', [machine()], opts) },
  ];
}

interface Measured {
  title: string;
  /** The title's text is wider than its box (shown with an ellipsis). */
  cut: boolean;
  /** The button runs past the card's right edge. */
  past: boolean;
}

/** Runs in the page (a string: the project compiles without DOM types). */
const MEASURE = `[...document.querySelectorAll('.ac-pushButton')].map((button) => {
  const title = button.firstElementChild;
  const card = button.closest('.card').getBoundingClientRect();
  return {
    title: title.innerText,
    cut: title.scrollWidth > title.clientWidth,
    past: button.getBoundingClientRect().right > card.right,
  };
})`;

async function measure(
  browser: Browser,
  locale: Locale,
  width: number,
  orientation: 'horizontal' | 'vertical',
): Promise<Measured[]> {
  const page = await openCardPage(browser, cardsWithButtons(locale), { width, orientation });
  try {
    // Reject… opens the reason form: its own button must fit too.
    for (const expand of await page.locator('.ac-pushButton.expandable').all()) await expand.click();
    return await page.evaluate<Measured[]>(MEASURE);
  } finally {
    await page.context().close();
  }
}

function withoutChromium(name: string): void {
  describe(name, () => {
    if (process.env.CI) {
      test('Chromium is installed (required in CI)', () => {
        throw new Error(`${CHROMIUM} is missing: install it (apt-get install -y chromium).`);
      });
      return;
    }
    test(`NOT RUN: ${CHROMIUM} is missing`, () => {
      console.warn(`\n*** The narrow-card button test did NOT run: ${CHROMIUM} is missing. ***\n`);
    });
  });
}

const suite = hasChromium() ? describe : withoutChromium;

suite('button titles on a narrow card', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(() => browser?.close());

  const layouts = [
    [320, 'vertical'],
    [400, 'horizontal'],
  ] as const;
  const cases = LOCALES.flatMap((locale) => layouts.map(([w, o]) => [locale, w, o] as const));

  it.each(cases)('%s, %d px, buttons %s', async (locale, width, orientation) => {
    const buttons = await measure(browser, locale, width, orientation);
    // Draft 2, awaiting 3 + the reason form's 1, executing 1, choose 1.
    expect(buttons).toHaveLength(8);
    for (const b of buttons) expect(b).toEqual({ title: b.title, cut: false, past: false });
  });
});
