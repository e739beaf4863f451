/**
 * The PostgreSQL connection: a node-postgres pool built from DATABASE_URL, the URL as
 * it may be logged (password masked), and which errors mean "the database is not
 * reachable or usable" rather than "this statement is wrong".
 *
 * TLS comes from the URL itself (sslmode, sslrootcert, sslcert, sslkey), parsed by
 * node-postgres.
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { Logger } from '../log';
import { describeOsError, StoreUnavailableError } from './store-errors';

export interface PoolOptions {
  /** Connections per process; the bot's write rate is tiny. */
  max?: number;
  /** `SET default_transaction_read_only`: for tools that must change nothing (npm run audit). */
  readOnly?: boolean;
}

/** `postgres://user:***@host:port/db?…`: safe for logs and messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL: say nothing of its content, which may be the password itself.
    return '(DATABASE_URL is not a valid URL)';
  }
}

/** Removes the URL's password (raw and URL-encoded) from any text. */
export function scrubPassword(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (!password) return text;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // keep the encoded form only
  }
  return [password, decoded].reduce((t, p) => t.split(p).join('***'), text);
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function createPool(url: string, logger: Logger, options: PoolOptions = {}): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max: options.max ?? 5,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'offboarder',
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
  const pool = new Pool(config);
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it
  // would end the process. The next query gets a fresh connection.
  pool.on('error', (e) => {
    logger.warn(
      { database: redactDatabaseUrl(url), error: scrubPassword(describeOsError(e), url) },
      'idle PostgreSQL connection lost',
    );
  });
  return pool;
}

/**
 * Network errors, and SQLSTATE classes 08 (connection), 28 (authorization), 3D (no such
 * database), 53 (insufficient resources: disk full, too many connections), 57P (server
 * shutting down or starting), 58 (system error), plus 25006 (read-only transaction, a
 * standby). https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_PG_CODES = /^(08|28|3D|53|57P|58)|^25006$/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOENT', // Unix socket path missing
  'EACCES',
]);
/** node-postgres' own connection failures carry no code. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end|self[- ]signed certificate|certificate|The server does not support SSL/i;

export function isUnavailablePgError(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_PG_CODES.test(code) || UNAVAILABLE_NODE_CODES.has(code)))
    return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

/** StoreUnavailableError naming the (redacted) URL and the cause, never the password. */
export function pgUnavailable(url: string, what: string, cause: unknown): StoreUnavailableError {
  const detail = scrubPassword(describeOsError(cause), url);
  return new StoreUnavailableError(`DATABASE_URL ${redactDatabaseUrl(url)}: ${what} (${detail})`, { cause });
}

/**
 * One transaction on one pooled connection; any throw rolls it back. A connection that
 * cannot even roll back is not given to the next caller.
 */
export async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken = false;
  try {
    await c.query('BEGIN');
    const result = await fn(c);
    await c.query('COMMIT');
    return result;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw e;
  } finally {
    c.release(broken);
  }
}
