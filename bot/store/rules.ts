import type { HistoryEntry, OffboardRequest } from '../request/model';
import { HistoryRewriteError } from './store-errors';
import type { AuditRecord } from './types';

/**
 * Rules both store implementations share, so the in-memory store used by unit tests
 * behaves exactly like the durable one.
 */

/** A deep copy through JSON: what a durable store can hold, and no aliasing with callers. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON with sorted keys and undefined dropped: equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The entries of `next` beyond `stored`. Throws HistoryRewriteError unless `next`
 * starts with every stored entry unchanged.
 */
export function appendedHistory(
  requestId: string,
  stored: readonly HistoryEntry[],
  next: readonly HistoryEntry[],
): HistoryEntry[] {
  for (let i = 0; i < stored.length; i++) {
    if (i >= next.length || canonicalJson(stored[i]) !== canonicalJson(next[i])) {
      throw new HistoryRewriteError(requestId, i);
    }
  }
  return next.slice(stored.length);
}

/** Machine ids are hex; compare them case-insensitively. */
export function machineKey(machineId: string): string {
  return machineId.toLowerCase();
}

export function machineKeys(request: OffboardRequest): string[] {
  return [...new Set(request.targets.map((t) => machineKey(t.machineId)))];
}

/** Only the HistoryEntry fields are audited: both stores return the same shape. */
export function toAuditRecord(seq: number, requestId: string, entry: HistoryEntry): AuditRecord {
  const record: AuditRecord = { seq, requestId, at: entry.at, event: entry.event, actor: entry.actor };
  if (entry.actorName != null) record.actorName = entry.actorName;
  if (entry.conversationId != null) record.conversationId = entry.conversationId;
  if (entry.detail != null) record.detail = jsonCopy(entry.detail);
  return record;
}

/**
 * Oldest first: ISO-8601 UTC times (what isoTime() writes) sort as text; ties keep
 * insertion order (the sort is stable, and SQLite orders by rowid).
 */
export function byCreatedAt(a: OffboardRequest, b: OffboardRequest): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}
