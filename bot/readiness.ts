import { systemClock, type Clock } from './clock';
import type { Logger } from './log';

/**
 * What GET /readyz answers. The probe is unauthenticated, so it gets a reason code
 * and nothing else: identity-platform errors (AADSTS codes), file paths and SQLite
 * messages go to the log. The Defender token check is cached for `cacheMs`, success
 * or failure, so a probe storm does not become a storm of token requests.
 */
export type ReadinessReason = 'store_unavailable' | 'defender_token' | 'check_failed';

export type ReadinessResult = { ready: true } | { ready: false; reason: ReadinessReason };

export interface Readiness {
  check(): Promise<ReadinessResult>;
}

export interface ReadinessOptions {
  checks: {
    /** Cheap and local (SELECT 1): run on every probe. */
    store: () => Promise<void>;
    /** Asks for a Defender token; omitted in sandbox mode. */
    defender?: () => Promise<void>;
  };
  /** How long a token check's outcome is reused. Default 5 s. */
  cacheMs?: number;
  clock?: Clock;
  logger: Logger;
}

export const READINESS_CACHE_MS = 5000;

export function createReadiness(o: ReadinessOptions): Readiness {
  const clock = o.clock ?? systemClock;
  const cacheMs = o.cacheMs ?? READINESS_CACHE_MS;
  let token: { at: number; outcome: Promise<boolean> } | undefined;

  const run = async (name: string, fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (err) {
      o.logger.warn({ check: name, code: codeOf(err), detail: detailOf(err) }, 'readiness check failed');
      return false;
    }
  };

  const defenderOk = (): Promise<boolean> => {
    const check = o.checks.defender;
    if (!check) return Promise.resolve(true);
    const now = clock.now();
    // Concurrent probes share one pending check; it is cached from when it started.
    if (!token || now - token.at >= cacheMs) token = { at: now, outcome: run('defender', check) };
    return token.outcome;
  };

  return {
    async check() {
      if (!(await run('store', o.checks.store))) return { ready: false, reason: 'store_unavailable' };
      if (!(await defenderOk())) return { ready: false, reason: 'defender_token' };
      return { ready: true };
    },
  };
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function detailOf(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}
