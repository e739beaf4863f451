/** What the Teams handlers (handlers.ts, bulk-open.ts) are given, and what a card route answers. */
import type { Clock } from '../clock';
import type { Locale } from '../i18n';
import type { Logger } from '../log';
import type { Offboarding } from '../offboarding/service';
import type { CardViewers } from './card-viewers';

export interface HandlerDeps {
  offboarding: Offboarding;
  clock: Clock;
  logger: Logger;
  viewers?: CardViewers;
  /** The language when an activity names none (BOT_DEFAULT_LOCALE); English when absent. */
  defaultLocale?: Locale;
}

/** A card route's answer: a card for the clicker, or a chat text. */
export type CardAnswer = object | string;
