/**
 * The device-name grammar. Defender reports `computerDnsName` as the device does: an
 * FQDN or a short name (docs/defender-api.md, "Machine"). The rule, RFC 1123 host names
 * widened where real Windows names go beyond them:
 * - dot-separated labels, each 1–63 characters, the whole name at most 253;
 * - a label holds letters, digits, `-` and `_`, and does not start or end with `-`.
 *   Underscores: Windows lets you name a computer `WS_042` (with a warning) and such
 *   names reach DNS and Defender;
 * - letters and decimal digits of any script, plus combining marks inside a label:
 *   Windows accepts Unicode computer names and Defender echoes them (`büro-pc`).
 *   Invisible/ignorable code points (Hangul fillers, variation selectors, …) are
 *   refused so two names that look the same cannot differ invisibly;
 * - the first label is not all digits: Windows refuses all-numeric computer names,
 *   so such a token is an IP address or a typo.
 * No space, quote, `%`, `/`, `\`, `:` or control character can pass, which is what
 * keeps user text out of Defender URLs and OData filters.
 */
import { charCount } from './chars';
import { MAX_HOST_NAME_CHARS, MAX_LABEL_CHARS } from './limits';

const LABEL = /^[\p{L}\p{Nd}_](?:[\p{L}\p{M}\p{Nd}_-]*[\p{L}\p{M}\p{Nd}_])?$/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const ALL_DIGITS = /^\p{Nd}+$/u;
/** Characters a name may contain at all; the first one outside this set is reported. */
const NAME_CHAR = /^[\p{L}\p{M}\p{Nd}_.-]$/u;

/** A Defender machine id: exactly 40 hexadecimal characters (docs/defender-api.md). */
export const DEVICE_ID_PATTERN = /^[0-9a-f]{40}$/i;

export function isDeviceId(token: string): boolean {
  return DEVICE_ID_PATTERN.test(token);
}

/** Why `name` is not a host name, or undefined when it is one. Plain text for a chat reply. */
export function hostNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (charCount(name) > MAX_HOST_NAME_CHARS) return `it is longer than ${MAX_HOST_NAME_CHARS} characters`;
  for (const ch of name) {
    if (!NAME_CHAR.test(ch) || IGNORABLE.test(ch)) return `it contains a character that can't be in a name`;
  }
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return 'it has an empty part between dots';
    if (charCount(label) > MAX_LABEL_CHARS)
      return `a part between dots is longer than ${MAX_LABEL_CHARS} characters`;
    if (label.startsWith('-') || label.endsWith('-'))
      return 'a part between dots starts or ends with a hyphen';
    if (!LABEL.test(label)) return 'a part between dots starts with an accent mark';
  }
  if (ALL_DIGITS.test(labels[0] ?? '')) return 'a device name cannot be only digits (is it an IP address?)';
  return undefined;
}

export function isHostName(name: string): boolean {
  return hostNameProblem(name) === undefined;
}

/** The first character of `name` that no host name may contain. */
export function firstBadNameChar(name: string): string | undefined {
  for (const ch of name) if (!NAME_CHAR.test(ch) || IGNORABLE.test(ch)) return ch;
  return undefined;
}
