import { AppError } from '../app-error';

export { StoreConflictError } from './types';

/**
 * The store cannot be used: data folder missing and not creatable, read-only, disk
 * full, file locked or not a database, or the store is closed. `message` is for the
 * operator (it names DATA_DIR and the OS/SQLite error); `chatMessage` is what Teams
 * users see.
 */
export class StoreUnavailableError extends AppError {
  readonly dataDir: string | undefined;

  constructor(detail: string, options: { dataDir?: string; cause?: unknown } = {}) {
    super('store_unavailable', { key: 'errors.storeUnavailable' }, { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.dataDir = options.dataDir;
    this.message = detail;
  }
}

/** `update` of an id that was never created: a bug in the caller, not a race. */
export class RequestNotFoundError extends Error {
  readonly code = 'request_not_found';

  constructor(readonly requestId: string) {
    super(`request ${requestId} does not exist`);
    this.name = 'RequestNotFoundError';
  }
}

/**
 * `update` whose history does not start with the stored history: history is an audit
 * trail, so entries may only be appended, never changed or dropped.
 */
export class HistoryRewriteError extends Error {
  readonly code = 'history_rewritten';

  constructor(
    readonly requestId: string,
    /** Index of the first stored entry that is missing or different. */
    readonly index: number,
  ) {
    super(`request ${requestId}: history entry ${index} was changed or removed; history is append-only`);
    this.name = 'HistoryRewriteError';
  }
}

/**
 * `ENOTDIR: not a directory` / `SQLITE_READONLY: attempt to write a readonly database`.
 * Duck-typed, not `instanceof Error`: better-sqlite3's native addon keeps the error class
 * of the first realm that loaded it, so under jest (one realm per test file) its errors
 * are not instances of this realm's Error.
 */
export function describeOsError(e: unknown): string {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return String(e);
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/**
 * SQLite result codes (https://sqlite.org/rescode.html) that mean "the storage is not
 * usable" rather than "this statement is wrong": extended codes share the prefix.
 */
const UNAVAILABLE_SQLITE_CODES = [
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_PERM',
  'SQLITE_NOLFS',
];

export function isUnavailableSqliteError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && UNAVAILABLE_SQLITE_CODES.some((c) => code === c || code.startsWith(c + '_'))
  );
}
