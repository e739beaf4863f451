/**
 * Who may start a Defender call now: the per-operation budget behind the rate limiter.
 * Async so that one budget can live in a shared database and serve several bot
 * instances (each start, refund and pause is one atomic step there); the limiter keeps
 * the queue, the timers and the estimates. docs/defender-api.md, "Rate limiting in this
 * client".
 */
import type { DefenderOperation } from './operations';
import {
  longestWindow,
  nextStartAt,
  windowsFor,
  DEFAULT_WINDOW_MARGIN_MS,
  type RateLimits,
  type RateWindow,
} from './rate-windows';

export type StartResult = { ok: true; startId: string } | { ok: false; retryAtMs: number };

export interface BudgetState {
  /** Start times still counted by the longest window, ascending. */
  starts: readonly number[];
  /** No start before this instant (0: no pause). */
  pausedUntilMs: number;
}

export interface RateBudget {
  readonly windows: readonly RateWindow[];
  /** Records a start of `op` at `nowMs` if it keeps every window within its limit and no
   * pause holds; otherwise says when to ask again (never earlier than a pause ends).
   * May answer at once (the memory budget does): then no estimate ever sees a start
   * that its caller has not yet been told about. */
  tryStart(op: DefenderOperation, nowMs: number): StartResult | Promise<StartResult>;
  /** The start never reached Defender's budget (answered 429): it no longer counts. */
  refund(op: DefenderOperation, startId: string): Promise<void>;
  /** No start of `op` before `untilMs` (a later pause wins; an earlier one is ignored). */
  pause(op: DefenderOperation, untilMs: number): Promise<void>;
  /** What this instance knows now, without I/O, for queue estimates: exact for the
   * memory budget; a shared budget answers with what it last read. */
  peek(op: DefenderOperation, nowMs: number): BudgetState;
}

export interface MemoryBudgetOptions extends RateLimits {
  /** Added to each window's length (default 1,000 ms: 61 s and 3,601 s). */
  windowMarginMs?: number;
}

/** One process's budget: a log of start times per operation. */
export function createMemoryBudget(options: MemoryBudgetOptions): RateBudget {
  const windows = windowsFor(options, options.windowMarginMs ?? DEFAULT_WINDOW_MARGIN_MS);
  const longest = longestWindow(windows);
  const ops = new Map<DefenderOperation, { times: number[]; ids: number[]; pausedUntil: number }>();
  let nextId = 1;
  const get = (op: DefenderOperation) => {
    let s = ops.get(op);
    if (!s) ops.set(op, (s = { times: [], ids: [], pausedUntil: 0 }));
    return s;
  };
  /** Drops starts no window counts any more. */
  const prune = (op: DefenderOperation, now: number) => {
    const s = get(op);
    let n = 0;
    while (n < s.times.length && s.times[n]! <= now - longest) n++;
    if (n > 0) {
      s.times.splice(0, n);
      s.ids.splice(0, n);
    }
    return s;
  };

  return {
    windows,
    tryStart(op, nowMs) {
      const s = prune(op, nowMs);
      if (s.pausedUntil > nowMs) return { ok: false, retryAtMs: s.pausedUntil };
      const at = nextStartAt(s.times, windows, nowMs);
      if (at > nowMs) return { ok: false, retryAtMs: at };
      // Times stay ascending even if the caller's clock stepped back.
      s.times.push(Math.max(nowMs, s.times.at(-1) ?? nowMs));
      const id = nextId++;
      s.ids.push(id);
      return { ok: true, startId: String(id) };
    },
    async refund(op, startId) {
      const s = get(op);
      const i = s.ids.indexOf(Number(startId));
      if (i >= 0) {
        s.times.splice(i, 1);
        s.ids.splice(i, 1);
      }
    },
    async pause(op, untilMs) {
      const s = get(op);
      s.pausedUntil = Math.max(s.pausedUntil, untilMs);
    },
    peek(op, nowMs) {
      const s = prune(op, nowMs);
      return { starts: s.times.slice(), pausedUntilMs: s.pausedUntil };
    },
  };
}
