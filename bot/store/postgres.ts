/**
 * Opens the PostgreSQL request store named by DATABASE_URL: connects, migrates under
 * the advisory lock, and fails at start-up with a StoreUnavailableError naming the
 * database (password masked) and the cause, so a bad deployment says what to fix.
 */
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { StoreUnavailableError } from './store-errors';
import { createPool, isPostgresUrl, pgUnavailable, redactDatabaseUrl } from './postgres-pool';
import { migratePostgres } from './postgres-schema';
import { PostgresRequestStore } from './postgres-store';

export { PostgresRequestStore } from './postgres-store';
export { redactDatabaseUrl } from './postgres-pool';
export { PG_SCHEMA_VERSION } from './postgres-schema';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/db?sslmode=… */
  databaseUrl: string;
  logger?: Logger;
  /** Stamps `recorded_at` on audit rows. */
  clock?: Clock;
  /** Pool size per process (default 5). */
  maxConnections?: number;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresRequestStore> {
  const { databaseUrl: url } = options;
  const logger = options.logger ?? silentLogger();
  if (!isPostgresUrl(url))
    throw new StoreUnavailableError(
      `DATABASE_URL ${redactDatabaseUrl(url)}: not a postgres:// or postgresql:// URL`,
    );
  const pool = createPool(url, logger, { max: options.maxConnections });
  try {
    const schemaVersion = await migratePostgres(pool, url, logger);
    logger.info({ database: redactDatabaseUrl(url), schemaVersion }, 'request store opened');
    return new PostgresRequestStore(pool, url, options.clock ?? systemClock, logger);
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof StoreUnavailableError) throw e;
    throw pgUnavailable(url, 'cannot open the request store', e);
  }
}
