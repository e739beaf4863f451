/**
 * The one place that decides whether a failed Defender call is tried again
 * (docs/architecture.md, habit 6 and "Retries and back-off"). Pure: no clock, no
 * I/O; randomness is injected. In short: a 429 waits for Retry-After; a 401
 * refreshes the token once; 5xx, 408, timeouts and dropped connections are retried
 * for reads, but a call that changes something must first look whether it took
 * effect ("verify"); any other 4xx is final.
 */
import { backoffMs as exponential } from '../backoff';
import { NON_IDEMPOTENT, type DefenderOperation } from './operations';

export type Failure =
  { kind: 'http'; status: number; retryAfterMs?: number } | { kind: 'timeout' } | { kind: 'network' };

export interface RetryInput {
  operation: DefenderOperation;
  /** Attempts made so far, including the one that just failed (1 after the first). */
  attempt: number;
  failure: Failure;
  /** True once this call has already refreshed its token after a 401. */
  tokenRefreshed?: boolean;
}

export type RetryDecision =
  /** Send again after `delayMs`. `pause` (429): no call of this operation before then. */
  | { action: 'retry'; delayMs: number; pause: boolean; reason: string }
  | { action: 'refreshToken'; reason: string }
  /** Non-idempotent call with an unknown outcome: wait `delayMs`, look; if nothing
   * happened, send again when `retryIfAbsent`, else give up. */
  | { action: 'verify'; delayMs: number; retryIfAbsent: boolean; reason: string }
  | { action: 'giveUp'; reason: string };

export interface RetryConfig {
  /** Attempts in total for server errors, timeouts and network errors. */
  maxAttempts: number;
  /** Attempts in total when the only failures are 429s (they cost the service nothing). */
  max429Attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 without Retry-After: wait one full minute window (the tighter documented limit). */
  default429DelayMs: number;
  /** Uniform in [0, 1). Injected so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryConfig = {
  maxAttempts: 4,
  max429Attempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  default429DelayMs: 60_000,
  random: Math.random,
};

/** "Equal jitter": half the exponential delay fixed, half random, so retries spread out
 * but never collapse to zero. attempt 1 → [base/2, base), 2 → [base, 2·base), ... */
export function backoffMs(attempt: number, config: RetryConfig): number {
  const exp = exponential(attempt - 1, config.baseDelayMs, config.maxDelayMs);
  return Math.round(exp / 2 + config.random() * (exp / 2));
}

export function decideRetry(input: RetryInput, config: RetryConfig = DEFAULT_RETRY): RetryDecision {
  const { failure, attempt, operation } = input;
  const status = failure.kind === 'http' ? failure.status : 0;

  if (status === 401) {
    return input.tokenRefreshed
      ? { action: 'giveUp', reason: '401 after a fresh token' }
      : { action: 'refreshToken', reason: '401: token expired or revoked' };
  }

  if (status === 429) {
    if (attempt >= config.max429Attempts)
      return { action: 'giveUp', reason: `429 after ${attempt} attempts` };
    const retryAfter = failure.kind === 'http' ? failure.retryAfterMs : undefined;
    // Jitter is only ever added: never earlier than Retry-After.
    const base = retryAfter ?? config.default429DelayMs;
    const jitter = Math.round(config.random() * Math.min(1000, base * 0.1));
    return { action: 'retry', delayMs: base + jitter, pause: true, reason: '429 Retry-After' };
  }

  const transient = failure.kind !== 'http' || status === 408 || status >= 500;
  if (!transient) return { action: 'giveUp', reason: `${status} is not retryable` };
  const reason = failure.kind === 'http' ? `${status}` : failure.kind;
  const attemptsLeft = attempt < config.maxAttempts;

  let delayMs = backoffMs(attempt, config);
  // A 503 may carry Retry-After too; honour it the same way.
  if (failure.kind === 'http' && failure.retryAfterMs !== undefined)
    delayMs = Math.max(delayMs, failure.retryAfterMs);
  if (NON_IDEMPOTENT.has(operation))
    return { action: 'verify', delayMs, retryIfAbsent: attemptsLeft, reason };
  if (!attemptsLeft) return { action: 'giveUp', reason: `${reason} after ${attempt} attempts` };
  return { action: 'retry', delayMs, pause: false, reason };
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3); anything else → undefined. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const h = header.trim();
  if (/^\d+(\.\d+)?$/.test(h)) return Math.ceil(Number(h) * 1000);
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
