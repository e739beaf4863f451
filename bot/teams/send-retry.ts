/**
 * Sends to Teams are retried on 429 and 5xx with exponential back-off, honouring
 * Retry-After when the connector gives one (Teams' rate limits for bots:
 * learn.microsoft.com "Optimize your bot with rate limiting" recommends exactly this).
 */
import { backoffMs } from '../backoff';
import type { Scheduler } from '../clock';

export interface SendRetryOptions {
  scheduler: Scheduler;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export function retryableStatus(e: unknown): number | undefined {
  const status =
    (e as { statusCode?: unknown })?.statusCode ??
    (e as { status?: unknown })?.status ??
    (e as { response?: { status?: unknown } })?.response?.status;
  if (typeof status === 'number' && (status === 429 || status >= 500)) return status;
  const code = (e as { code?: unknown })?.code;
  if (code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT') return 0;
  return undefined;
}

function retryAfterMs(e: unknown): number | undefined {
  const headers = (e as { response?: { headers?: { get?: (k: string) => string | undefined } } })?.response
    ?.headers;
  const raw = headers?.get?.('retry-after');
  const s = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

export async function withSendRetry<T>(fn: () => Promise<T>, o: SendRetryOptions): Promise<T> {
  const attempts = o.attempts ?? 5;
  const base = o.baseDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || retryableStatus(e) === undefined) throw e;
      await o.scheduler.sleep(Math.max(retryAfterMs(e) ?? 0, backoffMs(attempt - 1, base, max)));
    }
  }
}
