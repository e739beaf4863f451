import { ACTIVE_STATES, type HistoryEntry, type OffboardRequest, type RequestState } from '../request/model';
import { needsCardUpdate, needsFinalNotice, submittedAt } from '../request/delivery-state';
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

/**
 * The indexed columns every store keeps in step with a request on each write, so the
 * maintenance sweep finds its work by index look-up whatever the size of the history
 * (docs/architecture.md, "Delivery to Teams").
 */
export interface IndexColumns {
  /** Teams is owed a card update or the final notice (bot/request/delivery-state.ts). */
  deliveryOwed: boolean;
  /**
   * When the request next needs the bot: expiry while open (draft, awaiting approval),
   * the earliest Defender retry while executing, the earliest status check while
   * tracking; null when finished.
   */
  dueAt: string | null;
  /** Awaiting approval and not yet reminded: when it was submitted (the reminder counts from there). */
  remindFrom: string | null;
}

export function indexColumns(r: OffboardRequest): IndexColumns {
  // Normalised to toISOString's form, so the columns compare correctly as text.
  const iso = (t: string | number | undefined) => {
    const ms = typeof t === 'number' ? t : Date.parse(t ?? '');
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  };
  const earliest = (times: Array<string | undefined>) =>
    times
      .map(iso)
      .filter((t): t is string => t !== undefined)
      .sort()[0] ?? null;
  let dueAt: string | null = null;
  if (r.state === 'draft' || r.state === 'awaiting_approval') dueAt = iso(r.expiresAt) ?? null;
  else if (r.state === 'executing') dueAt = earliest(r.targets.map((t) => t.execution.retryAt));
  else if (r.state === 'tracking') dueAt = earliest(r.targets.map((t) => t.execution.nextCheckAt));
  return {
    deliveryOwed: needsCardUpdate(r) || needsFinalNotice(r),
    dueAt,
    remindFrom:
      r.state === 'awaiting_approval' && !r.delivery?.reminderAt ? (iso(submittedAt(r)) ?? null) : null,
  };
}

/** What listDue selects, for the store that filters in memory. */
export function isDue(
  r: OffboardRequest,
  before: string,
  options: { submittedBefore?: string; states?: readonly RequestState[] },
): boolean {
  if (!ACTIVE_STATES.includes(r.state)) return false;
  if (options.states && !options.states.includes(r.state)) return false;
  const c = indexColumns(r);
  return (
    (c.dueAt !== null && c.dueAt <= before) ||
    (options.submittedBefore !== undefined &&
      c.remindFrom !== null &&
      c.remindFrom <= options.submittedBefore)
  );
}
