/**
 * Lenient on what Defender sends (unknown fields ignored, case variants accepted:
 * docs/defender-api.md, "MachineAction"), strict on what we send (body keys are
 * case-sensitive, `Comment`: "Offboard a device").
 */
import { z } from 'zod';
import type { ActionStatus, Machine, MachineAction } from './types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Case-insensitive property lookup over several spellings: `externalId`/`externalID`, ... */
function pick(o: Json, ...names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  const lower = new Map(Object.keys(o).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined && o[k] !== undefined && o[k] !== null) return o[k];
  }
  return undefined;
}

const text = (o: Json, ...names: string[]): string | undefined => {
  const v = pick(o, ...names);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};

const num = (o: Json, ...names: string[]): number | undefined => {
  const v = pick(o, ...names);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Drops undefined values so optional properties stay absent (exactOptional-friendly). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function parseMachine(v: unknown): Machine | undefined {
  if (!isObject(v)) return undefined;
  const id = text(v, 'id');
  if (!id) return undefined;
  const tags = pick(v, 'machineTags');
  return compact<Machine>({
    id,
    // Documented as FQDN or short name; absent for some devices: '' rather than a crash.
    computerDnsName: text(v, 'computerDnsName') ?? '',
    osPlatform: text(v, 'osPlatform'),
    version: text(v, 'version'),
    osBuild: num(v, 'osBuild'),
    healthStatus: text(v, 'healthStatus'),
    onboardingStatus: text(v, 'onboardingStatus'),
    riskScore: text(v, 'riskScore'),
    exposureLevel: text(v, 'exposureLevel'),
    deviceValue: text(v, 'deviceValue'),
    lastSeen: text(v, 'lastSeen'),
    firstSeen: text(v, 'firstSeen'),
    lastIpAddress: text(v, 'lastIpAddress'),
    lastExternalIpAddress: text(v, 'lastExternalIpAddress'),
    machineTags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    rbacGroupName: text(v, 'rbacGroupName'),
    rbacGroupId: num(v, 'rbacGroupId'),
    aadDeviceId: text(v, 'aadDeviceId'),
    agentVersion: text(v, 'agentVersion'),
  });
}

const KNOWN_STATUS: Record<string, ActionStatus> = {
  pending: 'Pending',
  inprogress: 'InProgress',
  succeeded: 'Succeeded',
  failed: 'Failed',
  timeout: 'TimeOut',
  cancelled: 'Cancelled',
  canceled: 'Cancelled', // older pages spell it this way (docs/defender-api.md)
};

/**
 * Maps a status string to ActionStatus. An unknown value must not crash the tracker:
 * the closest meaning by keyword, otherwise Pending, which is not final, so the action
 * keeps being followed rather than being reported done on a guess.
 */
export function parseActionStatus(raw: unknown): { status: ActionStatus; known: boolean } {
  const s = typeof raw === 'string' ? raw.trim() : '';
  const exact = KNOWN_STATUS[s.toLowerCase().replace(/[\s_-]/g, '')];
  if (exact) return { status: exact, known: true };
  const l = s.toLowerCase();
  if (/cancel/.test(l)) return { status: 'Cancelled', known: false };
  if (/time.?out|expired/.test(l)) return { status: 'TimeOut', known: false };
  if (/fail|error/.test(l)) return { status: 'Failed', known: false };
  // Never Succeeded on a guess: an unrecognised status keeps being followed.
  if (/progress|running|executing|started|succe|complete|done/.test(l))
    return { status: 'InProgress', known: false };
  return { status: 'Pending', known: false };
}

export function parseMachineAction(v: unknown): MachineAction | undefined {
  if (!isObject(v)) return undefined;
  const id = text(v, 'id');
  if (!id) return undefined;
  const rawStatus = text(v, 'status');
  const { status, known } = parseActionStatus(rawStatus);
  return compact<MachineAction>({
    id,
    type: text(v, 'type') ?? '',
    status,
    rawStatus: known ? undefined : (rawStatus ?? ''),
    machineId: text(v, 'machineId'),
    computerDnsName: text(v, 'computerDnsName'),
    requestor: text(v, 'requestor'),
    requestorComment: text(v, 'requestorComment'),
    requestSource: text(v, 'requestSource'),
    externalId: text(v, 'externalID', 'externalId'),
    scope: text(v, 'scope'),
    title: text(v, 'title'),
    creationDateTimeUtc: text(v, 'creationDateTimeUtc'),
    lastUpdateDateTimeUtc: text(v, 'lastUpdateDateTimeUtc', 'lastUpdateTimeUtc'),
    cancellationRequestor: text(v, 'cancellationRequestor'),
    cancellationComment: text(v, 'cancellationComment'),
    cancellationDateTimeUtc: text(v, 'cancellationDateTimeUtc'),
    errorHResult: num(v, 'errorHResult'),
  });
}

/** Lenient reading of `{"error": {"code", "message", "target", "details": [...]}}`. */
export function parseErrorBody(body: unknown): { code: string; message: string; target: string } {
  const root: Json = isObject(body) ? body : {};
  const err = isObject(root.error) ? root.error : root;
  let code = str(err.code);
  let message = str(err.message) || str(root.message);
  const details = Array.isArray(err.details) ? err.details.filter(isObject) : [];
  for (const d of details) {
    if (!code) code = str(d.code);
    if (!message) message = str(d.message);
  }
  // A detail's `target` names a field, not the correlation id: only the top-level one counts.
  const target = str(err.target) || str(root.target);
  return { code, message, target };
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** An OData collection page: `{ value: [...], "@odata.nextLink"?: url }`. */
export function parseCollection<T>(
  body: unknown,
  parseItem: (v: unknown) => T | undefined,
): { items: T[]; nextLink?: string; skipped: number } {
  const o = isObject(body) ? body : {};
  const raw = Array.isArray(o.value) ? o.value : [];
  const items = raw.map(parseItem).filter((x): x is T => x !== undefined);
  const next = o['@odata.nextLink'];
  return compact({
    items,
    nextLink: typeof next === 'string' ? next : undefined,
    skipped: raw.length - items.length,
  });
}

// eslint-disable-next-line no-control-regex
const BAD_COMMENT_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The comment Defender stores with the action; required, and `Comment` with a capital C. */
export const commentBody = z
  .object({
    Comment: z
      .string()
      .trim()
      .min(1, 'a comment is required')
      // No documented limit; a cap keeps one request body bounded.
      .max(4000, 'the comment is limited to 4000 characters')
      .refine((s) => !BAD_COMMENT_CHARS.test(s), 'the comment contains control characters'),
  })
  .strict();

export type CommentBody = z.infer<typeof commentBody>;
