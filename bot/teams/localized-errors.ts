/**
 * Refusals, typed errors and the parser's complaints in the reader's language
 * (docs/i18n.md, "Errors and refusals"). The core says each one by catalogue key with its
 * values; here the key is rendered for the reader. A text without a key (the policy
 * file's own explanation, a typed error only administrators act on) is shown as written.
 */
import type { AppError } from '../app-error';
import { sayIn, tell, type Said, type Told, type Translator } from '../i18n';

/** A refusal from the policy or a use case. */
export function refusalText(t: Translator, r: Told): string {
  return tell(t, r);
}

/** A typed error's chat message. */
export function appErrorText(t: Translator, e: AppError): string {
  return tell(t, { message: e.chatMessage, key: e.key, params: e.params });
}

/** Why the API cannot offboard a device (an `unsupported` outcome's reason). */
export function platformReasonText(t: Translator, reason: Said): string {
  return sayIn(t, reason);
}

/** The parser's `invalid` result. */
export function invalidCommandText(t: Translator, cmd: Said): string {
  return sayIn(t, cmd);
}
