/**
 * One HTTP attempt (token, timeout, error normalisation, one log line) and the retry
 * loop around it, which obeys retry-policy.ts and goes through the rate limiter for
 * every attempt. The token travels only in the Authorization header: it is never
 * logged and never put into an error (docs/architecture.md, habit 12).
 */
import type { Clock, Scheduler } from '../clock';
import type { Logger } from '../log';
import { noopTelemetry, type Telemetry } from '../telemetry/types';
import { DefenderError } from './defender-error';
import { parseErrorBody } from './parse';
import type { DefenderOperation } from './operations';
import type { QueueInfo, RateLimiter } from './rate-limiter';
import { DEFAULT_RETRY, decideRetry, parseRetryAfter, type Failure, type RetryConfig } from './retry-policy';
import type { TokenProvider } from './token';

export interface TransportDeps {
  tokenProvider: TokenProvider;
  limiter: RateLimiter;
  logger: Logger;
  timeoutMs: number;
  clock: Clock;
  scheduler: Scheduler;
  retry?: Partial<RetryConfig>;
  /** A span and metrics per attempt: operation, status, retry, queue wait. */
  telemetry?: Telemetry;
}

export interface HttpRequest {
  operation: DefenderOperation;
  method: 'GET' | 'POST';
  url: URL;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON; undefined for an empty body or one that is not JSON (`unreadable`). */
  body: unknown;
  unreadable: boolean;
}

export function sendOnce(
  deps: TransportDeps,
  req: HttpRequest,
  forceRefresh: boolean,
): Promise<HttpResponse> {
  const telemetry = deps.telemetry ?? noopTelemetry;
  return telemetry.defenderCall(req, () => sendAttempt(deps, req, forceRefresh));
}

async function sendAttempt(
  deps: TransportDeps,
  req: HttpRequest,
  forceRefresh: boolean,
): Promise<HttpResponse> {
  const token = await deps.tokenProvider.getToken(forceRefresh ? { forceRefresh } : undefined);
  const controller = new AbortController();
  let timedOut = false;
  const timer = deps.scheduler.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deps.timeoutMs);
  const started = deps.clock.now();
  const log = { op: req.operation, method: req.method, path: req.url.pathname };
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal: controller.signal,
      redirect: 'manual', // a redirect must not carry the bearer token to another host
    });
    const text = await res.text();
    let body: unknown;
    let unreadable = false;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      unreadable = true;
    }
    const durationMs = deps.clock.now() - started;
    if (res.status >= 200 && res.status < 300) {
      deps.logger.info({ ...log, status: res.status, durationMs }, 'defender call');
      return { status: res.status, body, unreadable };
    }
    const err = parseErrorBody(body);
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), deps.clock.now());
    deps.logger.warn(
      { ...log, status: res.status, durationMs, code: err.code, target: err.target, retryAfterMs },
      'defender call failed',
    );
    throw new DefenderError({
      kind: 'http',
      operation: req.operation,
      status: res.status,
      defenderCode: err.code,
      defenderMessage: err.message,
      target: err.target,
      retryAfterMs,
    });
  } catch (e) {
    if (e instanceof DefenderError) throw e;
    const durationMs = deps.clock.now() - started;
    const kind = timedOut ? 'timeout' : 'network';
    // Only the error's name/code: undici's messages never hold the token, but be sure.
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    deps.logger.warn({ ...log, durationMs, error: kind, cause }, 'defender call failed');
    throw new DefenderError({
      kind,
      operation: req.operation,
      detail: timedOut ? `no answer within ${Math.round(deps.timeoutMs / 1000)} s` : cause,
    });
  } finally {
    timer.cancel();
  }
}

export interface RetryHooks<T> {
  /** One attempt, already inside its rate-limit slot. */
  send(forceRefresh: boolean): Promise<T>;
  /** For calls that change something: after an unknown outcome, find what the failed
   * attempt did. A value ends the loop; undefined means "nothing happened, send again". */
  verify?(): Promise<T | undefined>;
  onQueued?: (info: QueueInfo) => void;
}

export async function withRetries<T>(
  deps: TransportDeps,
  op: DefenderOperation,
  hooks: RetryHooks<T>,
): Promise<T> {
  const config = { ...DEFAULT_RETRY, ...deps.retry };
  let tokenRefreshed = false;
  let forceRefresh = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const refresh = forceRefresh;
      forceRefresh = false;
      const queuedAt = deps.clock.now();
      const send = () => hooks.send(refresh);
      const info = () => ({ operation: op, attempt, queueWaitMs: deps.clock.now() - queuedAt });
      return await deps.limiter.schedule(
        op,
        () => (deps.telemetry ?? noopTelemetry).defenderAttempt(info(), send),
        {
          onQueued: attempt === 1 ? hooks.onQueued : undefined,
          retry: attempt > 1,
        },
      );
    } catch (e) {
      const failure = toFailure(e);
      if (!failure) throw e;
      const decision = decideRetry({ operation: op, attempt, failure, tokenRefreshed }, config);
      deps.logger.debug(
        { op, attempt, decision: decision.action, reason: decision.reason },
        'defender retry decision',
      );
      switch (decision.action) {
        case 'giveUp':
          throw e;
        case 'refreshToken':
          tokenRefreshed = forceRefresh = true;
          break;
        case 'retry':
          // A 429: the limiter has refunded the attempt and paused the operation until
          // Retry-After; this adds the policy's jitter. No other caller goes early either.
          if (decision.pause) deps.limiter.pause(op, decision.delayMs);
          else await deps.scheduler.sleep(decision.delayMs);
          break;
        case 'verify': {
          if (!hooks.verify) throw e;
          await deps.scheduler.sleep(decision.delayMs);
          let found: T | undefined;
          try {
            found = await hooks.verify();
          } catch (verifyError) {
            // Could not look: the change may or may not have happened. Never guess, never resend.
            const target = (e as DefenderError).target;
            throw new DefenderError(
              { kind: 'unknownOutcome', operation: op, target },
              { cause: verifyError },
            );
          }
          if (found !== undefined) return found;
          if (!decision.retryIfAbsent) throw e;
          deps.logger.info({ op, attempt }, 'defender: the failed attempt did nothing; sending again');
          break;
        }
      }
    }
  }
}

function toFailure(e: unknown): Failure | undefined {
  if (!(e instanceof DefenderError)) return undefined;
  if (e.kind === 'http') return { kind: 'http', status: e.status, retryAfterMs: e.retryAfterMs };
  if (e.kind === 'timeout' || e.kind === 'network') return { kind: e.kind };
  return undefined; // token, unreadable answers: retrying the same call cannot help
}
