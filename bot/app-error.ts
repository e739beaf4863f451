/**
 * Typed errors with a stable code, a message fit for the chat, and the cause
 * (docs/architecture.md, habit 3). One handler in bot/teams turns them into replies:
 * an error said by catalogue key (`key`, `params`) is rendered in the reader's language
 * (docs/i18n.md, "Errors and refusals"); one without a key shows `chatMessage` as written.
 * Anything that is not an AppError gets a correlation id in the reply and the full
 * error in the log.
 */
import { english, type MessageKey, type Said, type SaidParams } from './i18n';

export class AppError extends Error {
  /** The catalogue entry of the chat message, when it has one. */
  readonly key?: MessageKey;
  /** The values the entry fills in, by the catalogue's placeholder names. */
  readonly params?: SaidParams;
  /** Safe to show in Teams: no secrets, no stack, plain language (English; from the catalogue when keyed). */
  readonly chatMessage: string;

  constructor(
    /** Stable, machine-readable; tests and the audit log branch on it. */
    readonly code: string,
    /** A catalogue entry with its values, or (for texts only administrators act on) English as written. */
    text: Said | string,
    options?: { cause?: unknown },
  ) {
    const chatMessage = typeof text === 'string' ? text : english(text);
    super(chatMessage, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'AppError';
    this.chatMessage = chatMessage;
    if (typeof text !== 'string') {
      this.key = text.key;
      if (text.params) this.params = text.params;
    }
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
