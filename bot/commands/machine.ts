import { charCount, codePointLabel, findInvisibleChar, quoteForChat } from './chars';
import { USAGE } from './usage';
import type { MessageKey, SaidParams } from '../i18n';
import { firstBadNameChar, hostNameProblem, isDeviceId } from './host-name';
import { MAX_HOST_NAME_CHARS } from './limits';
import type { InvalidCode, MachineRef } from './types';

export type MachineParse =
  | { ok: true; machine: MachineRef }
  /** `params.usage` is the offboard usage; the bulk form puts its own. */
  | { ok: false; code: InvalidCode; key: MessageKey; params: SaidParams };

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
    return fail('machine_too_long', 'errors.parse.machineTooLong', { max: String(MAX_HOST_NAME_CHARS) });
  }
  const invisible = findInvisibleChar(token);
  if (invisible) {
    return fail('invisible_chars', 'errors.parse.invisibleChars', {
      token: quoteForChat(token),
      char: codePointLabel(invisible),
    });
  }
  if (isDeviceId(token)) return { ok: true, machine: { by: 'id', id: token.toLowerCase() } };
  if (GUID.test(token)) {
    return fail('bad_machine', 'errors.parse.entraId', { token: quoteForChat(token) });
  }
  if (NEAR_DEVICE_ID.test(token)) {
    return fail('bad_machine', 'errors.parse.nearDeviceId', {
      token: quoteForChat(token),
      count: String(token.length),
    });
  }
  // A fully qualified name may end with the root dot; "offboard ws-042." also ends a sentence.
  const name = (token.length > 1 && token.endsWith('.') ? token.slice(0, -1) : token).normalize('NFC');
  const problem = hostNameProblem(name);
  if (problem === undefined) return { ok: true, machine: { by: 'name', name } };
  const bad = firstBadNameChar(name);
  const which = bad ? ` (${quoteForChat(bad)}, ${codePointLabel(bad)})` : '';
  // The host-name problem stays English: it names the rule the name breaks, as written.
  return fail('bad_machine', 'errors.parse.badMachine', {
    token: quoteForChat(token),
    problem: `${problem}${which}`,
  });
}

function unwrap(token: string): string {
  for (const [open, close] of WRAPPING_QUOTES) {
    if (token.length > 2 && token.startsWith(open) && token.endsWith(close)) return token.slice(1, -1);
  }
  return token;
}

function fail(code: InvalidCode, key: MessageKey, params: SaidParams): MachineParse {
  return { ok: false, code, key, params: { ...params, usage: USAGE.offboard } };
}
