/**
 * The rate budget of every bot instance on one PostgreSQL database: Defender's limits
 * are per tenant application, not per process. Per operation, a sliding log of starts
 * (table rate_starts) and a pause (rate_pauses), created by the store's migrations
 * (bot/store/postgres-schema.ts). Each tryStart is one transaction under an advisory
 * lock for its operation, so two instances cannot both take the last slot; times are
 * the database's milliseconds, converted to and from the caller's clock, so instances
 * whose clocks differ still share one log. docs/defender-api.md, "Rate limiting in
 * this client".
 */
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../store/postgres-pool';
import type { DefenderOperation } from './operations';
import type { BudgetState, RateBudget, StartResult } from './rate-budget';
import { longestWindow, nextStartAt, windowsFor, type RateLimits } from './rate-windows';

export interface PostgresBudgetOptions extends RateLimits {
  /** The request store's pool (PostgresRequestStore.pool). */
  pool: Pool;
  /** Default 5 s: the start is decided in the database before the request leaves the
   * instance, so more time can pass between the two than within one process. */
  windowMarginMs?: number;
}

export const SHARED_WINDOW_MARGIN_MS = 5_000;

/** First key of the two-key advisory locks of this budget ("rate" in ASCII). */
const LOCK_CLASS = 0x72617465;

const SQL = {
  lock: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
  now: 'SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now',
  prune: 'DELETE FROM rate_starts WHERE operation = $1 AND started_ms <= $2',
  pausedUntil: 'SELECT until_ms FROM rate_pauses WHERE operation = $1',
  /** The log, newest `$2` only: the largest limit is all nextStartAt needs. */
  starts: `SELECT started_ms FROM (
             SELECT started_ms, id FROM rate_starts WHERE operation = $1
             ORDER BY started_ms DESC, id DESC LIMIT $2) s ORDER BY started_ms, id`,
  insert: 'INSERT INTO rate_starts (operation, started_ms) VALUES ($1, $2) RETURNING id',
  refund: 'DELETE FROM rate_starts WHERE id = $1 AND operation = $2',
  pause: `INSERT INTO rate_pauses (operation, until_ms) VALUES ($1, $2)
          ON CONFLICT (operation) DO UPDATE SET until_ms = GREATEST(rate_pauses.until_ms, EXCLUDED.until_ms)`,
} as const;

export function createPostgresBudget(options: PostgresBudgetOptions): RateBudget {
  const { pool } = options;
  const windows = windowsFor(options, options.windowMarginMs ?? SHARED_WINDOW_MARGIN_MS);
  const longest = longestWindow(windows);
  const keep = Math.max(...windows.map((w) => w.limit));
  /** What the last tryStart read, in the caller's clock (peek answers from it). */
  const seen = new Map<DefenderOperation, BudgetState>();
  /** database time − caller time, from the last transaction. */
  let offset = 0;

  const transaction = <T>(fn: (c: PoolClient) => Promise<T>) => inTransaction(pool, fn);

  const dbNow = async (c: PoolClient) => Number((await c.query<{ now: string }>(SQL.now)).rows[0]!.now);

  return {
    windows,
    tryStart: (op, nowMs) =>
      transaction<StartResult>(async (c) => {
        await c.query(SQL.lock, [LOCK_CLASS, op]);
        const now = await dbNow(c);
        offset = now - nowMs;
        await c.query(SQL.prune, [op, now - longest]);
        const paused = Number(
          (await c.query<{ until_ms: string }>(SQL.pausedUntil, [op])).rows[0]?.until_ms ?? 0,
        );
        const starts = (await c.query<{ started_ms: string }>(SQL.starts, [op, keep])).rows.map((r) =>
          Number(r.started_ms),
        );
        const local = (t: number) => t - offset;
        seen.set(op, { starts: starts.map(local), pausedUntilMs: paused > now ? local(paused) : 0 });
        if (paused > now) return { ok: false, retryAtMs: local(paused) };
        const at = nextStartAt(starts, windows, now);
        if (at > now) return { ok: false, retryAtMs: local(at) };
        // Ascending even if the database clock stepped back.
        const startedAt = Math.max(now, starts.at(-1) ?? now);
        const { rows } = await c.query<{ id: string }>(SQL.insert, [op, startedAt]);
        seen.get(op)!.starts = [...starts, startedAt].map(local);
        return { ok: true, startId: rows[0]!.id };
      }),
    async refund(op, startId) {
      await pool.query(SQL.refund, [startId, op]);
    },
    async pause(op, untilMs) {
      await pool.query(SQL.pause, [op, Math.round(untilMs + offset)]);
      const s = seen.get(op);
      seen.set(op, {
        starts: s?.starts ?? [],
        pausedUntilMs: Math.max(s?.pausedUntilMs ?? 0, untilMs),
      });
    },
    peek(op, nowMs) {
      const s = seen.get(op);
      if (!s) return { starts: [], pausedUntilMs: 0 };
      return { starts: s.starts.filter((t) => t > nowMs - longest), pausedUntilMs: s.pausedUntilMs };
    },
  };
}
