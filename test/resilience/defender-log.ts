import type { CallLogEntry, DefenderSimulator, Operation } from '../../sandbox/defender';
import type { Exchange } from './http-gate';

/** Readings of the simulator's call log: what Defender saw, whatever the bot believes. */
export const offboardPosts = (sim: DefenderSimulator, machineId: string): CallLogEntry[] =>
  sim.calls.filter((c) => c.operation === 'offboard' && c.method === 'POST' && c.path.includes(machineId));

export const actionsOn = (sim: DefenderSimulator, machineId: string) =>
  sim.actions().filter((a) => a.machineId === machineId);

export interface RetryAfterCheck {
  /** 429 answers carrying Retry-After. */
  throttled: number;
  /** Calls that came after a 429 of their operation: the ones Retry-After governs. */
  checked: number;
  violations: Array<{ throttled: CallLogEntry; early: CallLogEntry }>;
}

/**
 * "Retrying earlier keeps you throttled" (docs/defender-api.md, "Errors"): after a 429 with
 * Retry-After, no call of that operation may arrive before `at + retryAfter`.
 */
export function retryAfterCheck(calls: readonly CallLogEntry[]): RetryAfterCheck {
  const out: RetryAfterCheck = { throttled: 0, checked: 0, violations: [] };
  calls.forEach((c, i) => {
    const earlier429s = calls
      .slice(0, i)
      .filter((e) => e.status === 429 && e.retryAfter !== undefined && e.operation === c.operation);
    if (c.status === 429 && c.retryAfter !== undefined) out.throttled++;
    if (!earlier429s.length) return;
    out.checked++;
    for (const e of earlier429s)
      if (c.at < e.at + e.retryAfter! * 1000) out.violations.push({ throttled: e, early: c });
  });
  return out;
}

/** The Defender operation of a call, from its method and path (docs/defender-api.md). */
function operationOf(method: string, path: string): Operation | 'unknown' {
  if (method === 'POST' && /^\/api\/machines\/[^/]+\/offboard$/.test(path)) return 'offboard';
  if (method === 'POST' && /^\/api\/machineactions\/[^/]+\/cancel$/.test(path)) return 'cancelAction';
  if (method !== 'GET') return 'unknown';
  if (path === '/api/machines') return 'listMachines';
  if (path === '/api/machineactions') return 'listActions';
  if (/^\/api\/machines\/[^/]+$/.test(path)) return 'getMachine';
  if (/^\/api\/machineactions\/[^/]+$/.test(path)) return 'getAction';
  return 'unknown';
}

/**
 * The gate's log as a call log: every call the bot made, with what it was answered,
 * whether the simulator or the gate answered. Retry-After holds for both.
 */
export const gateCallLog = (exchanges: readonly Exchange[]): CallLogEntry[] =>
  exchanges.map((e) => ({
    at: e.at,
    method: e.method,
    path: e.path,
    query: e.query,
    operation: operationOf(e.method, e.path),
    status: e.status,
    ...(e.retryAfter !== undefined ? { retryAfter: e.retryAfter } : {}),
  }));
