/** Limits of the bulk `offboard` forms (lists and selectors); shared by parser, cards and tests. */
import { english } from '../i18n';
import { USAGE } from './usage';

/** Devices one typed list may name; the running limit is BULK_MAX_DEVICES (bot/config.ts). */
export const BULK_MAX_DEVICES = 500;

/**
 * A list of many devices needs more room than MAX_TEXT_CHARS: 500 names of about 60
 * characters. Still under MAX_RAW_CHARS and Teams' message size.
 */
export const MAX_BULK_TEXT_CHARS = 32_000;

/** `inactive:<N>d`: Defender keeps devices for at most 180 days (its data retention). */
export const INACTIVE_MIN_DAYS = 1;
export const INACTIVE_MAX_DAYS = 180;

/** A tag or device-group name in a selector. */
export const MAX_SELECTOR_CHARS = 200;

/** The bulk usage line in English (its text lives in the catalogue, help.bulkUsage). */
export const BULK_USAGE = english(USAGE.bulk);
