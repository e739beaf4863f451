/**
 * Template mechanics shared by every card: bind a JSON template to a view-model and
 * wrap the result for an activity. Cards are data (docs/architecture.md, habit 8): the
 * templates live in cards/*.json and code only builds the view-model.
 */
import type * as ACDataModule from 'adaptivecards-templating';
import { translator, type Locale, type Translator } from '../bot/i18n';

/** An expanded Adaptive Card, as sent in an attachment or an invoke response. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [property: string]: unknown;
}

/** What every render function takes besides its data. */
export interface RenderOptions {
  /** Milliseconds since the epoch, from the injected clock (docs/architecture.md, habit 5). */
  now: number;
  /**
   * Language of the card's words (docs/i18n.md, which locale applies); English when
   * absent. Times need no zone: they are DATE()/TIME() functions Teams writes in the
   * viewer's own zone (format.ts cardTime).
   */
  locale?: Locale;
}

/** The card's translator: its language, English by default. */
export function cardTranslator(opts: { locale?: Locale } = {}): Translator {
  return translator(opts.locale ?? 'en');
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCardJson;
}

/**
 * Teams accepts Adaptive Card schema up to 1.5 for bot-sent cards, and Action.Execute
 * (Universal Actions) needs 1.4 or later (learn.microsoft.com/microsoftteams/platform/
 * task-modules-and-cards/cards/cards-reference, .../universal-actions-for-adaptive-cards/overview).
 */
export const CARD_SCHEMA_VERSION = '1.5';

/**
 * Budget for one card. Teams documents 40 KB (older pages) to ~100 KB (current page)
 * per bot message, counted as UTF-16 (learn.microsoft.com/microsoftteams/platform/bots/
 * how-to/format-your-bot-messages); Power Automate's Teams connector states ~28 KB.
 * We keep to the smallest number quoted so an update never fails on size.
 */
export const CARD_MAX_BYTES = 28 * 1024;

export class CardTemplateError extends Error {
  readonly code = 'card_template';
}

export interface CardTemplate<TView> {
  expand(view: TView): AdaptiveCardJson;
}

/**
 * adaptivecards-templating (with adaptive-expressions, antlr4ts and lodash) and the
 * parsed templates are about a third of a start: loaded when first needed, which for the
 * bot is just before its port opens (docs/start-up.md).
 */
let engine: typeof ACDataModule | undefined;
function acData(): typeof ACDataModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  return (engine ??= require('adaptivecards-templating') as typeof ACDataModule);
}

const unprepared = new Set<() => void>();

/** Parses every template not parsed yet (the runtime calls it before it listens). */
export function prepareCardTemplates(): void {
  for (const prepare of [...unprepared]) prepare();
}

/**
 * A template parsed once (its expressions), on first expansion or by
 * prepareCardTemplates, then expanded any number of times.
 *
 * adaptivecards-templating leaves a binding to a missing field in the output as the
 * literal `${path}` (its GlobalSettings docs). A card showing `${approvals.count}` is
 * a bug, so expansion records every such path and throws: a typo in a template fails
 * the tests that render every state, never a user's card silently. The global hook is
 * set and restored around the synchronous `expand`, so nothing else can observe it.
 */
export function loadTemplate<TView extends object>(json: object, name: string): CardTemplate<TView> {
  let template: ACDataModule.Template | undefined;
  const prepare = () => {
    if (!template) {
      template = new (acData().Template)(json);
      unprepared.delete(prepare);
    }
    return template;
  };
  unprepared.add(prepare);
  return {
    expand(view: TView): AdaptiveCardJson {
      const parsed = prepare();
      const { GlobalSettings } = acData();
      const missing: string[] = [];
      const previous = GlobalSettings.getUndefinedFieldValueSubstitutionString;
      GlobalSettings.getUndefinedFieldValueSubstitutionString = (path: string) => {
        missing.push(path);
        return undefined;
      };
      let card: unknown;
      try {
        card = parsed.expand({ $root: view });
      } finally {
        GlobalSettings.getUndefinedFieldValueSubstitutionString = previous;
      }
      if (missing.length > 0) {
        throw new CardTemplateError(`Card template ${name} binds missing data: ${missing.join(', ')}`);
      }
      return card as AdaptiveCardJson;
    },
  };
}

/** Wraps a card as a Bot Framework attachment (the one content type Teams renders as an Adaptive Card). */
export function toAttachment(card: AdaptiveCardJson): AdaptiveCardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** Size of the card as sent, in UTF-8 bytes. */
export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(toAttachment(card)), 'utf8');
}
