/** The request store: interface, errors and both implementations (architecture.md, habit 4). */
export type { AuditRecord, RequestStore } from './types';
export {
  HistoryRewriteError,
  RequestNotFoundError,
  StoreConflictError,
  StoreUnavailableError,
} from './errors';
export { createMemoryStore, MemoryRequestStore } from './memory';
export { DATABASE_FILE, openSqliteStore, SqliteRequestStore, type SqliteStoreOptions } from './sqlite';
