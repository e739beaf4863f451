import { charCount, codePointLabel, findInvisibleChar, quoteForChat } from './chars';
import { OFFBOARD_USAGE } from './help';
import { firstBadNameChar, hostNameProblem, isDeviceId } from './host-name';
import { MAX_HOST_NAME_CHARS } from './limits';
import type { InvalidCode, MachineRef } from './types';

export type MachineParse =
  { ok: true; machine: MachineRef } | { ok: false; code: InvalidCode; message: string };

const WRAPPING_QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201C', '\u201D'], // “…”, which Teams and Office substitute for straight quotes
  ['\u2018', '\u2019'],
  ['<', '>'],
];
/** An Entra (Azure AD) device id, which people paste by mistake: a GUID. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** One label of hex of about id length: almost surely a mistyped device id. */
const NEAR_DEVICE_ID = /^[0-9a-f]{30,50}$/i;

/** The device token after `offboard`: a Defender device id or a host name, nothing else. */
export function parseMachineToken(raw: string): MachineParse {
  const token = unwrap(raw);
  if (charCount(token) > MAX_HOST_NAME_CHARS) {
    return fail(
      'machine_too_long',
      `That device name is too long: a name has at most ${MAX_HOST_NAME_CHARS} characters.`,
    );
  }
  const invisible = findInvisibleChar(token);
  if (invisible) {
    return fail(
      'invisible_chars',
      `The device ${quoteForChat(token)} contains an invisible character (${codePointLabel(invisible)}), ` +
        'often picked up by copy and paste. Type the name again.',
    );
  }
  if (isDeviceId(token)) return { ok: true, machine: { by: 'id', id: token.toLowerCase() } };
  if (GUID.test(token)) {
    return fail(
      'bad_machine',
      `${quoteForChat(token)} looks like an Entra (Azure AD) device id. Use the device name or its ` +
        '40-character Defender device id.',
    );
  }
  if (NEAR_DEVICE_ID.test(token)) {
    return fail(
      'bad_machine',
      `${quoteForChat(token)} looks like a Defender device id, but those have exactly 40 hex characters ` +
        `and this one has ${token.length}.`,
    );
  }
  // A fully qualified name may end with the root dot; "offboard ws-042." also ends a sentence.
  const name = (token.length > 1 && token.endsWith('.') ? token.slice(0, -1) : token).normalize('NFC');
  const problem = hostNameProblem(name);
  if (problem === undefined) return { ok: true, machine: { by: 'name', name } };
  const bad = firstBadNameChar(name);
  const which = bad ? ` (${quoteForChat(bad)}, ${codePointLabel(bad)})` : '';
  return fail(
    'bad_machine',
    `${quoteForChat(token)} can't be a device: ${problem}${which}. Device names use letters, digits, ` +
      'hyphens, underscores and dots; device ids are 40 hex characters.',
  );
}

function unwrap(token: string): string {
  for (const [open, close] of WRAPPING_QUOTES) {
    if (token.length > 2 && token.startsWith(open) && token.endsWith(close)) return token.slice(1, -1);
  }
  return token;
}

function fail(code: InvalidCode, problem: string): MachineParse {
  return { ok: false, code, message: `${problem}\n\nUsage: ${OFFBOARD_USAGE}` };
}
