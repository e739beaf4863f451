/**
 * Typed errors with a stable code, a message fit for the chat, and the cause
 * (docs/architecture.md, habit 3). One handler in bot/teams turns them into replies;
 * anything that is not an AppError gets a correlation id in the reply and the full
 * error in the log.
 */
export class AppError extends Error {
  constructor(
    /** Stable, machine-readable; tests and the audit log branch on it. */
    readonly code: string,
    /** Safe to show in Teams: no secrets, no stack, plain language. */
    readonly chatMessage: string,
    options?: { cause?: unknown },
  ) {
    super(chatMessage, options);
    this.name = 'AppError';
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
