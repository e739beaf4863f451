/**
 * The Defender API calls this project makes. Each has its own rate budget
 * (docs/defender-api.md, "Rate limit"), its own
 * retry rules (retry-policy.ts) and the permission a 403 should name (errors.ts).
 */
export const OPERATIONS = [
  'listMachines',
  'getMachine',
  'offboard',
  'listActions',
  'getAction',
  'cancelAction',
] as const;

export type DefenderOperation = (typeof OPERATIONS)[number];

/** Application permission each call needs (docs/defender-api.md, "Offboard a device"). */
export const REQUIRED_PERMISSION: Record<DefenderOperation, string> = {
  listMachines: 'Machine.Read.All',
  getMachine: 'Machine.Read.All',
  offboard: 'Machine.Offboard',
  listActions: 'Machine.Read.All',
  getAction: 'Machine.Read.All',
  // Cancelling needs the permission of the action being cancelled; we only cancel offboards.
  cancelAction: 'Machine.Offboard',
};

/** Calls that change something: never blindly re-sent after an unknown outcome. */
export const NON_IDEMPOTENT: ReadonlySet<DefenderOperation> = new Set(['offboard', 'cancelAction']);
