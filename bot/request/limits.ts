/**
 * Text limits of the request model. The parser, the policy and the cards all use
 * these, so a comment the parser accepts is never refused on the card.
 */

/** The requester's comment; 1,000 keeps the provenance suffix inside a sane Defender comment. */
export const COMMENT_MAX = 1000;
export const REJECT_REASON_MAX = 500;
