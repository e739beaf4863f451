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
 *
 * With bursts allowed, calls of one operation may already be on the wire when the 429
 * comes back; they cannot have known it. With `clientLogs` (the bot's log lines), a call
 * counts only when it arrived after the bot logged a 429 of that operation (plus
 * `slackMs` for loopback transit): the calls sent once the bot knew.
 */
export function retryAfterCheck(
  calls: readonly CallLogEntry[],
  clientLogs?: readonly string[],
  slackMs = 50,
): RetryAfterCheck {
  const out: RetryAfterCheck = { throttled: 0, checked: 0, violations: [] };
  const known = clientLogs ? client429s(clientLogs) : undefined;
  /** When the bot learned of a 429 answered at `e.at` (the earliest 429 of that operation it logged since). */
  const learnedAt = (e: CallLogEntry): number => {
    if (!known) return e.at;
    const t = known.find((k) => k.op === e.operation && k.at >= e.at);
    return t ? t.at + slackMs : e.at;
  };
  calls.forEach((c, i) => {
    const earlier429s = calls
      .slice(0, i)
      .filter((e) => e.status === 429 && e.retryAfter !== undefined && e.operation === c.operation)
      .filter((e) => c.at > learnedAt(e));
    if (c.status === 429 && c.retryAfter !== undefined) out.throttled++;
    if (!earlier429s.length) return;
    out.checked++;
    for (const e of earlier429s)
      if (c.at < e.at + e.retryAfter! * 1000) out.violations.push({ throttled: e, early: c });
  });
  return out;
}

/** The bot's own record of each 429 it received: operation and time, oldest first. */
function client429s(lines: readonly string[]): Array<{ op: string; at: number }> {
  const out: Array<{ op: string; at: number }> = [];
  for (const line of lines) {
    if (!line.includes('"status":429')) continue;
    const entry = JSON.parse(line) as { op?: string; time?: string | number; msg?: string };
    if (entry.msg !== 'defender call failed' || !entry.op) continue;
    out.push({
      op: entry.op,
      at: typeof entry.time === 'number' ? entry.time : Date.parse(String(entry.time)),
    });
  }
  return out.sort((a, b) => a.at - b.at);
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
