/**
 * Everything user text can reach in a Defender URL goes through here, so a device
 * name can never change a filter's meaning or the request path.
 * String literals are single-quoted with inner quotes doubled (docs/defender-api.md,
 * "OData filters and escaping").
 */
import { AppError } from '../app-error';
import type { ActionStatus } from './types';

/** Rejected before anything is sent; the message is about the user's input, fit for the chat. */
export class InvalidInputError extends AppError {
  constructor(message: string) {
    super('InvalidDefenderInput', message);
    this.name = 'InvalidInputError';
  }
}

// C0 controls, DEL and C1 controls: never meaningful in a device name or an id, and a
// line break inside a query string is an injection vector for some proxies.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws URIError).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `o'brien` → `'o''brien'` (OData v4 ABNF: SQUOTE-in-string = SQUOTE SQUOTE). */
export function odataString(s: string): string {
  if (typeof s !== 'string') throw new InvalidInputError('the text must be a string');
  if (CONTROL.test(s))
    throw new InvalidInputError(
      'the text contains control characters (line breaks, tabs, ...), which no device name has',
    );
  if (LONE_SURROGATE.test(s)) throw new InvalidInputError('the text contains a broken Unicode character');
  return `'${s.replace(/'/g, "''")}'`;
}

/** Machine ids are 40 hex characters (docs/defender-api.md, "Machine"). */
export const MACHINE_ID = /^[0-9a-f]{40}$/i;
/** MachineAction ids are GUIDs (docs/defender-api.md, "MachineAction"). */
export const ACTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isMachineId(s: unknown): s is string {
  return typeof s === 'string' && MACHINE_ID.test(s);
}

export function isActionId(s: unknown): s is string {
  return typeof s === 'string' && ACTION_ID.test(s);
}

/** A path segment for a machine id: validated first, then encoded (belt and braces). */
export function machineIdSegment(id: string): string {
  if (!isMachineId(id)) throw new InvalidInputError('machine id must be 40 hexadecimal characters');
  return encodeURIComponent(id);
}

export function actionIdSegment(id: string): string {
  if (!isActionId(id)) throw new InvalidInputError('machine action id must be a GUID');
  return encodeURIComponent(id);
}

export const eq = (field: string, value: string): string => `${field} eq ${odataString(value)}`;

export const startsWith = (field: string, prefix: string): string =>
  `startswith(${field},${odataString(prefix)})`;

// Plain `a and b` as in the documented example; only an `or` group gets parentheses
// (it binds looser than `and`), which keeps filters readable for simple OData parsers.
export const and = (...clauses: string[]): string => clauses.join(' and ');

export const or = (...clauses: string[]): string =>
  clauses.length === 1 ? clauses[0]! : `(${clauses.join(' or ')})`;

/** `machineId eq '<id>' and type eq 'Offboard' and (status eq 'Pending' or ...)`. */
export function machineActionsFilter(f: {
  machineId?: string;
  type?: string;
  statuses?: readonly ActionStatus[];
}): string | undefined {
  const clauses: string[] = [];
  if (f.machineId !== undefined) {
    if (!isMachineId(f.machineId))
      throw new InvalidInputError('machine id must be 40 hexadecimal characters');
    clauses.push(eq('machineId', f.machineId));
  }
  if (f.type !== undefined) clauses.push(eq('type', f.type));
  if (f.statuses?.length) clauses.push(or(...f.statuses.map((s) => eq('status', s))));
  return clauses.length ? and(...clauses) : undefined;
}

/**
 * A query string with each value percent-encoded by encodeURIComponent (so a space is
 * %20, not '+', which some OData servers keep literally). Keys are our own constants.
 */
export function queryString(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** `machineTags/any(t: t eq '<tag>')`: devices carrying exactly this tag (docs/defender-api.md, "Machine"). */
export function hasTag(tag: string): string {
  return `machineTags/any(t: t eq ${odataString(tag)})`;
}

/** `lastSeen lt 2026-01-01T00:00:00.000Z`: Edm.DateTimeOffset literals are unquoted in OData v4. */
export function lastSeenBefore(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new InvalidInputError('lastSeen bound must be an ISO date');
  return `lastSeen lt ${new Date(ms).toISOString()}`;
}
