/** The request store: interface, errors, the implementations and the factory choosing one (docs/architecture.md, habit 4). */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { openSqliteStore } from './sqlite';
import type { RequestStore } from './types';

export type { AuditRecord, RequestStore } from './types';
export { DeviceBusyError } from './types';
export { fencedStore } from './fenced';
export { LeaseLostError, type Lease, type LeaseStore, type UpdateOptions } from './lease';
export {
  HistoryRewriteError,
  RequestNotFoundError,
  StoreConflictError,
  StoreUnavailableError,
} from './store-errors';
export { createMemoryStore, MemoryRequestStore } from './memory';
export { DATABASE_FILE, openSqliteStore, SqliteRequestStore, type SqliteStoreOptions } from './sqlite';
// PostgreSQL (and the pg driver) is loaded only when DATABASE_URL names it: import its
// values from './postgres' itself.
export type { PostgresRequestStore, PostgresStoreOptions } from './postgres';

export interface StoreOptions {
  /** DATABASE_URL: when set, PostgreSQL; otherwise SQLite in dataDir. */
  databaseUrl?: string;
  /** DATA_DIR: the SQLite store's folder. */
  dataDir: string;
  logger?: Logger;
  clock?: Clock;
  /** SQLite only: hold the DATA_DIR lock until close (the bot's own store; see sqlite.ts). */
  exclusive?: boolean;
}

/** Opens (creating and migrating as needed) the store the configuration names. */
export async function openStore(options: StoreOptions): Promise<RequestStore> {
  const { databaseUrl, dataDir, logger, clock, exclusive } = options;
  if (databaseUrl) {
    const { openPostgresStore } = await import('./postgres');
    return openPostgresStore({ databaseUrl, logger, clock });
  }
  return openSqliteStore({ dataDir, logger, clock, exclusive });
}
