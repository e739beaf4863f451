/**
 * Teams `activity.text` → the plain text the user typed. Teams sends HTML-ish text:
 * `<at>Bot</at>` for mentions, `<p>`/`<div>`/`<br>` for lines, entities such as
 * `&nbsp;`, and `<a>` around names it auto-links (learn.microsoft.com, "Channel and
 * group chat conversations with a bot": strip the mention before parsing).
 *
 * Every pattern here is linear: `[^<>]*` stops at the next `<`, so no input makes the
 * regexes backtrack quadratically.
 */

/** Used only when the caller gave no mention texts: mentions at the very start. */
const LEADING_MENTIONS = /^(?:\s|&nbsp;|<(?:p|div)\b[^<>]*>)*(?:<at\b[^<>]*>[^<>]*<\/at>\s*)+/i;
const BLOCK_TAG = /<\s*\/?\s*(?:p|div|br|li|ul|ol|tr|h[1-6])\b[^<>]*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
/** Only things that look like tags: a lone `<` typed in a plain-text client survives. */
const OTHER_TAG = /<\/?[a-z][^<>]*>/gi;
const ENTITY = /&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

export function toPlainText(text: string, mentionTexts: readonly string[] | undefined): string {
  let out = removeMentions(text, mentionTexts);
  out = out.replace(COMMENT, '').replace(BLOCK_TAG, '\n').replace(OTHER_TAG, '');
  // Decoded last and in one pass: `&amp;lt;` becomes the text `&lt;`, and a decoded
  // `<script>` is text, not a tag to strip.
  out = out.replace(ENTITY, decodeEntity);
  return out.replace(/\r\n?/g, '\n');
}

function removeMentions(text: string, mentionTexts: readonly string[] | undefined): string {
  const mentions = Array.isArray(mentionTexts)
    ? mentionTexts.filter((m): m is string => typeof m === 'string' && m.trim() !== '')
    : [];
  if (mentions.length === 0) return text.replace(LEADING_MENTIONS, ' ');
  let out = text;
  // Exact text, any position: "please <at>Offboarder</at> offboard …" works too.
  for (const mention of mentions) out = out.split(mention).join(' ');
  return out;
}

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const hex = name[1] === 'x' || name[1] === 'X';
    const code = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : '\uFFFD';
  }
  return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
}
