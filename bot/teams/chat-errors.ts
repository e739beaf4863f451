/**
 * The one place an error becomes a chat reply (docs/architecture.md, habit 3): typed errors
 * show their chat message; anything else gets a short correlation id in the reply and
 * the full error, with that id, in the log.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import { isAppError } from '../app-error';

export function chatErrorText(e: unknown, logger: Logger, context: Record<string, unknown>): string {
  if (isAppError(e)) {
    logger.warn({ ...context, code: e.code, err: e }, 'request failed');
    return e.chatMessage;
  }
  const ref = randomUUID().slice(0, 8);
  logger.error({ ...context, ref, err: e }, 'unexpected error');
  return `Something went wrong on my side (reference ${ref}). Nothing was offboarded; please try again or tell your admin.`;
}
