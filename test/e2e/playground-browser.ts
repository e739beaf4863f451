import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { configAs, type PlaygroundConfigAnswer } from '../../sandbox/playground/identity';
import type { SandboxUser } from '../../sandbox/users';

/**
 * Driving the Playground's page with Debian's Chromium (playwright-core cannot download
 * browsers here). Selectors and flags are the ones measured in docs/playground.md.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Chromium's offline launch arguments (docs/playground.md, "Driving it from a browser test"). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Person {
  user: SandboxUser;
  context: BrowserContext;
  page: Page;
}

/**
 * One person = one browser with its own fresh profile: nothing (local storage, the
 * page's state) is shared between identities, as with two people on two machines.
 */
export async function openAs(
  user: SandboxUser,
  playgroundUrl: string,
  profilesDir: string,
  view: { width?: number; height?: number; deviceScaleFactor?: number } = {},
): Promise<Person> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(profilesDir, `${user.key}-`)), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: view.width ?? 1280, height: view.height ?? 1000 },
    deviceScaleFactor: view.deviceScaleFactor ?? 1,
    timeout: 30_000,
  });
  context.setDefaultTimeout(20_000);
  // Only this one answer differs: the page then acts as `user` (sandbox/playground/identity.ts).
  await context.route('**/_internal/v1/config', async (route) => {
    const real = (await (await route.fetch()).json()) as PlaygroundConfigAnswer;
    await route.fulfill({ json: configAs(real, user.id) });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(playgroundUrl, { waitUntil: 'domcontentloaded' });
  await page.getByText(user.name).first().waitFor();
  // The log panel repeats message texts (and would match text searches) and crowds screenshots.
  await page.getByTitle('Hide log panel').click();
  return { user, context, page };
}

export async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByRole('treeitem', { name }).first().click();
}

/** Types `@<bot> <text>` in the compose box, choosing the bot from the mention menu. */
export async function sendMention(page: Page, botName: string, text: string): Promise<void> {
  await page.locator('div[role="textbox"]').last().click();
  await page.keyboard.type(`@${botName.slice(0, 3)}`);
  await page.getByRole('menuitem', { name: botName }).click();
  await page.keyboard.type(` ${text}`);
  await page.keyboard.press('Enter');
}

/** The (latest) Adaptive Card whose text contains `text`. */
export const cardWith = (page: Page, text: string | RegExp): Locator =>
  page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

/**
 * Replaces a card textarea's value. Input ids are not in the DOM, so it is found by its
 * placeholder; click + keyboard because fill() lost the value on a page that received
 * the card live (docs/playground.md).
 */
export async function typeInCard(card: Locator, placeholder: string | RegExp, text: string): Promise<void> {
  const box = card.getByPlaceholder(placeholder);
  await box.click();
  await box.press('ControlOrMeta+a');
  await box.press('Delete');
  await card.page().keyboard.type(text);
}

/**
 * The bar the Playground shows under a card with the bot's text answer to a click (an
 * invoke answered with a message instead of a card). Found by its aria-label, read from
 * the Playground's page source ("InvokeMessage.Container").
 */
export const invokeAnswer = (page: Page, text: string | RegExp): Locator =>
  page.locator('[aria-label="Display Invoked Message"]').filter({ hasText: text }).last();

export async function clickCardButton(card: Locator, name: string): Promise<void> {
  await card.getByRole('button', { name, exact: true }).click();
}

export async function closeAll(people: Person[]): Promise<void> {
  await Promise.all(people.map((p) => p.context.close().catch(() => undefined)));
}
