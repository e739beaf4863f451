/**
 * Typed errors with a stable code, a message fit for the chat, and the cause
 * (docs/architecture.md, habit 3). One handler in bot/teams turns them into replies,
 * in the reader's language when the catalogue knows the message (docs/i18n.md);
 * anything that is not an AppError gets a correlation id in the reply and the full
 * error in the log.
 */
export class AppError extends Error {
  /** The values `chatMessage` interpolates, by the catalogue's placeholder names. */
  readonly params?: Readonly<Record<string, string | number>>;

  constructor(
    /** Stable, machine-readable; tests and the audit log branch on it. */
    readonly code: string,
    /** Safe to show in Teams: no secrets, no stack, plain language (English). */
    readonly chatMessage: string,
    options?: { cause?: unknown; params?: Readonly<Record<string, string | number>> },
  ) {
    super(chatMessage, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'AppError';
    if (options?.params) this.params = options.params;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
