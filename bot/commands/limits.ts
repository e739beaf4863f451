/** Limits the parser enforces; exported so cards and tests use the same numbers. */

/** Longest command the bot accepts, in characters, after mention and HTML removal. */
export const MAX_TEXT_CHARS = 2000;

/**
 * Raw `activity.text` longer than this is refused before any processing, so a huge
 * payload costs nothing. Teams caps a message at about 28 KB including markup
 * (learn.microsoft.com, "Format your bot messages" / message size limits).
 */
export const MAX_RAW_CHARS = 40_000;

/** DNS: a full name is at most 253 characters, one label at most 63 (RFC 1035 §2.3.4). */
export const MAX_HOST_NAME_CHARS = 253;
export const MAX_LABEL_CHARS = 63;

/** Prefilled offboarding comment: the request model's limit, so the card accepts what the parser does. */
export { COMMENT_MAX as MAX_COMMENT_CHARS } from '../request/limits';

/** User text quoted back into a reply is cut to this length. */
export const MAX_ECHO_CHARS = 40;
