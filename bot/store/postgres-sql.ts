/* The PostgreSQL store's statements and row mapping; the tables are in postgres-schema.ts. */
import type { HistoryEntry, OffboardRequest } from '../request/model';
import { indexColumns, toAuditRecord } from './rules';
import type { AuditRecord } from './types';

export interface PgRequestRow {
  version: number;
  /** json columns arrive parsed. */
  body: OffboardRequest;
}

export interface PgAuditRow {
  /** bigint arrives as text (it may exceed 2^53). */
  seq: string;
  request_id: string;
  at: string;
  event: HistoryEntry['event'];
  actor: string;
  actor_name: string | null;
  conversation_id: string | null;
  detail: HistoryEntry['detail'] | null;
}

const AUDIT_COLUMNS = 'seq, request_id, at, event, actor, actor_name, conversation_id, detail';

export const SQL = {
  get: 'SELECT version, body FROM requests WHERE id = $1',
  /** The row lock makes the version check and the write one step against other writers. */
  getForUpdate: 'SELECT version, body FROM requests WHERE id = $1 FOR UPDATE',
  insert: `INSERT INTO requests (id, version, state, tenant_id, conversation_id, created_at, updated_at, body,
             delivery_owed, due_at, remind_from)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
  update: `UPDATE requests SET version = $2, state = $3, tenant_id = $4, conversation_id = $5,
             created_at = $6, updated_at = $7, body = $8::json,
             delivery_owed = $9, due_at = $10, remind_from = $11
           WHERE id = $1 AND version = $12`,
  deleteTargets: 'DELETE FROM request_targets WHERE request_id = $1',
  /**
   * Every conflict is the one-active-request-per-device index: the primary key cannot
   * clash, as the targets were just deleted and machine keys are unique per request.
   * DO NOTHING waits for a concurrent writer of the same device, then skips the row.
   */
  insertTarget: `INSERT INTO request_targets (request_id, machine_id, state) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING`,
  activeHolder: `SELECT request_id FROM request_targets
                 WHERE machine_id = $1 AND request_id <> $2 AND state = ANY($3::text[]) LIMIT 1`,
  byState: `SELECT version, body FROM requests WHERE state = ANY($1::text[])
            AND ($2::text IS NULL OR updated_at >= $2) ORDER BY created_at, ins_seq`,
  // The partial indexes of schema step 3 keep both look-ups to the rows they return.
  deliveryOwed: `SELECT version, body FROM requests WHERE delivery_owed
                 AND ($2::text IS NULL OR updated_at >= $2)
                 ORDER BY updated_at DESC, created_at DESC, ins_seq DESC LIMIT $1`,
  due: `SELECT version, body FROM requests
        WHERE (due_at <= $1 OR remind_from <= $2::text) AND state = ANY($3::text[])
        ORDER BY created_at, ins_seq LIMIT $4`,
  activeForMachine: `SELECT r.version, r.body FROM request_targets t JOIN requests r ON r.id = t.request_id
                     WHERE t.machine_id = $1 AND r.state = ANY($2::text[]) ORDER BY r.created_at, r.ins_seq`,
  appendAudit: `INSERT INTO audit (request_id, at, event, actor, actor_name, conversation_id, detail, recorded_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8::timestamptz)`,
  audit: `SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`,
  auditSince: `SELECT ${AUDIT_COLUMNS} FROM audit WHERE at >= $1 ORDER BY seq`,
  ping: 'SELECT 1',
  notDurable: 'SET LOCAL synchronous_commit = off',
  /**
   * Free, expired or already this owner's: granted (a new holder gets token + 1).
   * The database's clock decides expiry, so replicas' clocks do not matter.
   */
  acquireLease: `INSERT INTO leases AS l (name, owner, token, expires_at)
                 VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
                 ON CONFLICT (name) DO UPDATE SET
                   token = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > clock_timestamp()
                                THEN l.token ELSE l.token + 1 END,
                   owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                 WHERE l.expires_at <= clock_timestamp() OR l.owner = EXCLUDED.owner
                 RETURNING token`,
  renewLease: `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
               WHERE name = $1 AND owner = $2 AND token = $3`,
  releaseLease: `UPDATE leases SET expires_at = '-infinity' WHERE name = $1 AND owner = $2 AND token = $3`,
  /** FOR SHARE: a take-over waits for this write, then reads what it wrote. */
  leaseToken: 'SELECT token FROM leases WHERE name = $1 FOR SHARE',
} as const;

/** Parameters $1..$11 of insert and update. */
export function requestValues(r: OffboardRequest): Array<string | number | boolean | null> {
  const index = indexColumns(r);
  return [
    r.id,
    r.version,
    r.state,
    r.tenantId,
    r.conversation.conversationId,
    r.createdAt,
    r.updatedAt,
    JSON.stringify(r),
    index.deliveryOwed,
    index.dueAt,
    index.remindFrom,
  ];
}

export function fromPgRow(row: PgRequestRow): OffboardRequest {
  return { ...row.body, version: row.version };
}

export function fromPgAuditRow(row: PgAuditRow): AuditRecord {
  const entry: HistoryEntry = { at: row.at, event: row.event, actor: row.actor };
  if (row.actor_name !== null) entry.actorName = row.actor_name;
  if (row.conversation_id !== null) entry.conversationId = row.conversation_id;
  if (row.detail !== null) entry.detail = row.detail;
  return toAuditRecord(Number(row.seq), row.request_id, entry);
}
