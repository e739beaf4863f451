/**
 * The one place an error becomes a chat reply (docs/architecture.md, habit 3): typed errors
 * show their chat message, in the reader's language when the catalogue knows it
 * (docs/i18n.md); anything else gets a short correlation id in the reply and the full
 * error, with that id, in the log.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import { isAppError } from '../app-error';
import { translator, type Translator } from '../i18n';
import { appErrorText } from './localized-errors';

export function chatErrorText(
  e: unknown,
  logger: Logger,
  context: Record<string, unknown>,
  t: Translator = translator('en'),
): string {
  if (isAppError(e)) {
    logger.warn({ ...context, code: e.code, err: e }, 'request failed');
    return appErrorText(t, e);
  }
  const ref = randomUUID().slice(0, 8);
  logger.error({ ...context, ref, err: e }, 'unexpected error');
  return t('errors.unexpected', { ref });
}
