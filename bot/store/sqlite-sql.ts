import type Database from 'better-sqlite3';
import type { HistoryEntry, OffboardRequest } from '../request/model';
import { indexColumns, toAuditRecord } from './rules';
import type { AuditRecord } from './types';

/* The SQLite store's statements and row mapping; the tables are in sqlite-schema.ts. */

export interface RequestRow {
  version: number;
  body: string;
}

export interface AuditRow {
  seq: number;
  request_id: string;
  at: string;
  event: HistoryEntry['event'];
  actor: string;
  actor_name: string | null;
  conversation_id: string | null;
  detail: string | null;
}

const AUDIT_COLUMNS = 'seq, request_id, at, event, actor, actor_name, conversation_id, detail';
/** States are passed as one JSON array parameter, so any list is one prepared statement. */
const IN_STATES = 'state IN (SELECT value FROM json_each(:states))';

/**
 * The maintenance sweep's look-ups, each on a partial index of schema step 3 (exported
 * for the query-plan test). UNION ALL inside IN, not UNION: a UNION of rowids is
 * merged in rowid order, which the planner gets by scanning the whole table.
 */
export const DELIVERY_OWED_SQL = `SELECT version, body FROM requests WHERE delivery_owed = 1
  AND (:updatedSince IS NULL OR updated_at >= :updatedSince)
  ORDER BY updated_at DESC, created_at DESC, rowid DESC LIMIT :limit`;
export const DUE_SQL = `SELECT version, body FROM requests WHERE rowid IN (
    SELECT rowid FROM requests WHERE due_at <= :before
    UNION ALL SELECT rowid FROM requests WHERE remind_from <= :submittedBefore)
  AND ${IN_STATES} ORDER BY created_at, rowid LIMIT :limit`;

/** Prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    get: db.prepare<[string], RequestRow>('SELECT version, body FROM requests WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO requests (id, version, state, tenant_id, conversation_id, created_at, updated_at, body,
         delivery_owed, due_at, remind_from)
       VALUES (:id, :version, :state, :tenantId, :conversationId, :createdAt, :updatedAt, :body,
         :deliveryOwed, :dueAt, :remindFrom)`,
    ),
    update: db.prepare(
      `UPDATE requests SET version = :version, state = :state, tenant_id = :tenantId,
         conversation_id = :conversationId, created_at = :createdAt, updated_at = :updatedAt, body = :body,
         delivery_owed = :deliveryOwed, due_at = :dueAt, remind_from = :remindFrom
       WHERE id = :id AND version = :expected`,
    ),
    deleteTargets: db.prepare('DELETE FROM request_targets WHERE request_id = ?'),
    // No OR IGNORE: it would also swallow the one-active-request-per-device index.
    insertTarget: db.prepare('INSERT INTO request_targets (request_id, machine_id, state) VALUES (?, ?, ?)'),
    activeHolder: db.prepare<
      { machineId: string; requestId: string; states: string },
      { request_id: string }
    >(
      `SELECT t.request_id FROM request_targets t WHERE t.machine_id = :machineId
       AND t.request_id <> :requestId AND t.${IN_STATES}`,
    ),
    byState: db.prepare<{ states: string; updatedSince: string | null }, RequestRow>(
      `SELECT version, body FROM requests WHERE ${IN_STATES}
       AND (:updatedSince IS NULL OR updated_at >= :updatedSince) ORDER BY created_at, rowid`,
    ),
    deliveryOwed: db.prepare<{ limit: number; updatedSince: string | null }, RequestRow>(DELIVERY_OWED_SQL),
    due: db.prepare<
      { before: string; submittedBefore: string | null; states: string; limit: number },
      RequestRow
    >(DUE_SQL),
    activeForMachine: db.prepare<{ machineId: string; states: string }, RequestRow>(
      `SELECT r.version, r.body FROM request_targets t JOIN requests r ON r.id = t.request_id
       WHERE t.machine_id = :machineId AND r.${IN_STATES} ORDER BY r.created_at, r.rowid`,
    ),
    appendAudit: db.prepare(
      `INSERT INTO audit (request_id, at, event, actor, actor_name, conversation_id, detail, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    audit: db.prepare<[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`),
    auditSince: db.prepare<[string], AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit WHERE at >= ? ORDER BY seq`,
    ),
    ping: db.prepare('SELECT 1'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Named parameters for the insert and update statements. */
export function requestParams(r: OffboardRequest): Record<string, string | number | null> {
  const index = indexColumns(r);
  return {
    id: r.id,
    version: r.version,
    state: r.state,
    tenantId: r.tenantId,
    conversationId: r.conversation.conversationId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    body: JSON.stringify(r),
    deliveryOwed: index.deliveryOwed ? 1 : 0,
    dueAt: index.dueAt,
    remindFrom: index.remindFrom,
  };
}

export function fromRow(row: RequestRow): OffboardRequest {
  return { ...(JSON.parse(row.body) as OffboardRequest), version: row.version };
}

export function fromAuditRow(row: AuditRow): AuditRecord {
  const entry: HistoryEntry = { at: row.at, event: row.event, actor: row.actor };
  if (row.actor_name !== null) entry.actorName = row.actor_name;
  if (row.conversation_id !== null) entry.conversationId = row.conversation_id;
  if (row.detail !== null) entry.detail = JSON.parse(row.detail) as HistoryEntry['detail'];
  return toAuditRecord(row.seq, row.request_id, entry);
}
