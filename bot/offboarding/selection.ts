/**
 * Pure parts of bulk selection (bot/offboarding/open-bulk.ts): whether a device matches
 * the selectors, the Defender query for them, and the refusals kept on the request.
 * No I/O: the clock comes in as `now`.
 */
import type { Selectors } from '../commands';
import type { MachineQuery } from '../defender/client';
import type { Machine } from '../defender/types';
import { BULK_REFUSED_KEPT, type BulkRefusal, type BulkSelection } from '../request/model';

const DAY_MS = 24 * 3600_000;

/** The moment before which a device counts as inactive for `inactive:<N>d`. */
export function inactiveBefore(days: number, now: number): string {
  return new Date(now - days * DAY_MS).toISOString();
}

/**
 * What Defender is asked for: the tag and the last-seen bound. The device group is
 * matched here by name, because Defender's `$filter` knows only `rbacGroupId`, and
 * there is no documented API to read a group's id from its name (docs/bulk.md, "Finding the devices").
 */
export function selectorQuery(s: Selectors, now: number): MachineQuery {
  return {
    ...(s.tag !== undefined ? { tag: s.tag } : {}),
    ...(s.inactiveDays !== undefined ? { lastSeenBefore: inactiveBefore(s.inactiveDays, now) } : {}),
  };
}

/** Does the device match every selector? Tags exactly, group names case-insensitively. */
export function matchesSelectors(m: Machine, s: Selectors, now: number): boolean {
  if (s.tag !== undefined && !m.machineTags.includes(s.tag)) return false;
  if (s.group !== undefined && (m.rbacGroupName ?? '').toLowerCase() !== s.group.toLowerCase()) return false;
  if (s.inactiveDays !== undefined) {
    const seen = m.lastSeen ? Date.parse(m.lastSeen) : NaN;
    // Never seen (no lastSeen) cannot be shown to be inactive: not selected.
    if (!Number.isFinite(seen) || seen >= Date.parse(inactiveBefore(s.inactiveDays, now))) return false;
  }
  return true;
}

/** Collects refused devices: every one counted, the first BULK_REFUSED_KEPT kept by name. */
export class Refusals {
  private readonly counts: Partial<Record<BulkRefusal, number>> = {};
  private readonly kept: { name: string; reason: BulkRefusal }[] = [];
  total = 0;

  add(name: string, reason: BulkRefusal): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    this.total++;
    if (this.kept.length < BULK_REFUSED_KEPT) this.kept.push({ name, reason });
  }

  selection(selectors: string, listed: number): BulkSelection {
    return { selectors, listed, refusedCounts: { ...this.counts }, refused: [...this.kept] };
  }

  list(): { name: string; reason: BulkRefusal }[] {
    return [...this.kept];
  }
}
