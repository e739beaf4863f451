/**
 * The message catalogues, one object per language, merged from one file per area
 * (bot/i18n/en/*.ts, bot/i18n/ru/*.ts). English is the source of the key list; each
 * Russian area is typed against it, so a missing key does not compile, and
 * test/unit/i18n-catalogues.test.ts checks unused keys and placeholders.
 */
import { en } from './en';
import { ru } from './ru';
import type { Locale } from './locale';
import type { Message } from './message';

export type MessageKey = keyof typeof en;

export const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, Message>>>> = { en, ru };
