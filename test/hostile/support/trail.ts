import type { HistoryEvent } from '../../../bot/request/model';
import type { AuditRecord } from '../../../bot/store';

/**
 * Checks on one request's audit trail: the exact event sequence (status polling may
 * add status_changed entries, so a sequence is a pattern), who did each step, where,
 * and that time never runs backwards.
 */
export const PERSON_EVENTS: readonly HistoryEvent[] = [
  'created',
  'submitted',
  'approved',
  'rejected',
  'cancelled',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TrailCheck {
  /** e.g. /^created submitted approved approved executing action_created( status_changed)+ completed$/ */
  sequence: RegExp;
  /** Who performed each person event, in order (Entra object ids). */
  people: string[];
  conversationId: string;
}

export function checkTrail(trail: AuditRecord[], expected: TrailCheck): void {
  const events = trail.map((r) => r.event).join(' ');
  expect(events).toMatch(expected.sequence);
  for (let i = 1; i < trail.length; i++) {
    expect(trail[i]!.seq).toBeGreaterThan(trail[i - 1]!.seq);
    expect(trail[i]!.at >= trail[i - 1]!.at).toBe(true); // ISO UTC text sorts as time
  }
  const people: string[] = [];
  for (const r of trail) {
    expect(r.at).toMatch(ISO);
    if (PERSON_EVENTS.includes(r.event)) {
      expect(r.actor).toMatch(GUID);
      expect(r.actorName?.trim()).toBeTruthy();
      expect(r.conversationId).toBe(expected.conversationId);
      people.push(r.actor);
    } else {
      expect(r.actor).toBe('system');
    }
  }
  expect(people).toEqual(expected.people);
  checkDetails(trail);
}

/** The details an auditor needs at each step. */
function checkDetails(trail: AuditRecord[]): void {
  let status: unknown;
  for (const r of trail) {
    const d = r.detail ?? {};
    switch (r.event) {
      case 'created':
        expect(d.machineId).toMatch(/^[0-9a-f]{40}$/);
        expect(d.computerDnsName).toEqual(expect.any(String));
        break;
      case 'rejected':
        expect(String(d.reason).trim()).toBeTruthy();
        break;
      case 'action_created':
      case 'action_found':
        expect(d.actionId).toMatch(GUID);
        status = d.status;
        break;
      case 'status_changed':
        expect(d.from).toBe(status);
        expect(d.to).not.toBe(status);
        status = d.to;
        break;
      case 'completed':
        expect(d.statuses).toBe(status);
        break;
      case 'refused':
        expect(d.machineId).toMatch(/^[0-9a-f]{40}$/);
        expect(String(d.code)).toBeTruthy();
        expect(String(d.target ?? '')).toMatch(/\S{8,}/);
        break;
      default:
        break;
    }
  }
}

/** The trail as the HistoryEntry list the request itself stores (audit mirrors history). */
export function asHistory(trail: AuditRecord[]): unknown[] {
  return trail.map(({ seq: _s, requestId: _r, ...entry }) => entry);
}
