/**
 * The Defender `Comment` carries the user's comment plus provenance, so whoever reads
 * the action in the Defender portal sees why, who asked and who approved. The API
 * documents no maximum; we keep the total within 1,000 characters by shortening the
 * user's part, never the provenance.
 */
import type { OffboardRequest, Person } from '../request/model';

export const DEFENDER_COMMENT_MAX = 1000;

const who = (p: Person) => p.upn || p.name || p.aadObjectId;

export function defenderComment(r: OffboardRequest): string {
  const provenance =
    ` [Offboarder ${r.id}; requested by ${who(r.requester)}; ` +
    `approved by ${r.approvals.map((a) => who(a.by)).join(', ')}]`;
  const room = DEFENDER_COMMENT_MAX - provenance.length;
  const text = (r.comment ?? '').replace(/\s+/g, ' ').trim();
  const shortened = text.length > room ? `${cutAt(text, Math.max(0, room - 1))}…` : text;
  return `${shortened}${provenance}`;
}

/** The longest prefix of at most `max` UTF-16 units that never splits a surrogate pair. */
export function cutAt(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}
