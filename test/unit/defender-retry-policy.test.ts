import fc from 'fast-check';
import { OPERATIONS } from '../../bot/defender/operations';
import {
  DEFAULT_RETRY,
  backoffMs,
  decideRetry,
  parseRetryAfter,
  type Failure,
  type RetryConfig,
} from '../../bot/defender/retry-policy';

const cfg = (random: number, over: Partial<RetryConfig> = {}): RetryConfig => ({
  ...DEFAULT_RETRY,
  random: () => random,
  ...over,
});
const http = (status: number, retryAfterMs?: number): Failure => ({ kind: 'http', status, retryAfterMs });

describe('retry policy (one pure function)', () => {
  test('429 with Retry-After: retry no earlier than it, pausing the operation; jitter only adds', () => {
    expect(decideRetry({ operation: 'getMachine', attempt: 1, failure: http(429, 30_000) }, cfg(0))).toEqual({
      action: 'retry',
      delayMs: 30_000,
      pause: true,
      reason: '429 Retry-After',
    });
    const late = decideRetry({ operation: 'getMachine', attempt: 1, failure: http(429, 30_000) }, cfg(0.999));
    expect(late).toMatchObject({ action: 'retry', pause: true });
    expect((late as { delayMs: number }).delayMs).toBeLessThanOrEqual(31_000);
  });

  test('429 on offboard is a plain retry (the service did nothing), not a look-up', () => {
    expect(
      decideRetry({ operation: 'offboard', attempt: 1, failure: http(429, 5000) }, cfg(0)),
    ).toMatchObject({
      action: 'retry',
      delayMs: 5000,
    });
  });

  test('429 without Retry-After waits a full minute window; gives up after max429Attempts', () => {
    expect(decideRetry({ operation: 'listActions', attempt: 1, failure: http(429) }, cfg(0))).toMatchObject({
      delayMs: 60_000,
    });
    expect(
      decideRetry({ operation: 'listActions', attempt: 6, failure: http(429, 1000) }, cfg(0)).action,
    ).toBe('giveUp');
  });

  test('reads: 5xx, 408, timeouts and network errors back off exponentially with jitter, bounded', () => {
    for (const failure of [
      http(500),
      http(502),
      http(503),
      http(408),
      { kind: 'timeout' },
      { kind: 'network' },
    ]) {
      const d = decideRetry({ operation: 'getAction', attempt: 1, failure: failure as Failure }, cfg(0));
      expect(d).toMatchObject({ action: 'retry', delayMs: 500, pause: false });
    }
    const delays = [1, 2, 3].map(
      (attempt) =>
        (
          decideRetry({ operation: 'getAction', attempt, failure: http(500) }, cfg(0.999)) as {
            delayMs: number;
          }
        ).delayMs,
    );
    expect(delays).toEqual([1000, 1999, 3998]); // just under 2^n seconds with random → 1
    expect(decideRetry({ operation: 'getAction', attempt: 4, failure: http(500) }, cfg(0)).action).toBe(
      'giveUp',
    );
    expect(backoffMs(20, cfg(0))).toBe(15_000); // capped at maxDelayMs (30 s): half fixed, half jitter
    expect(backoffMs(20, cfg(0.999))).toBeLessThan(30_000);
  });

  test('a 503 with Retry-After is honoured as well', () => {
    const d = decideRetry({ operation: 'listMachines', attempt: 1, failure: http(503, 10_000) }, cfg(0));
    expect(d).toMatchObject({ action: 'retry', delayMs: 10_000 });
  });

  test('offboard and cancel after an unknown outcome: look first; even on the last attempt', () => {
    for (const operation of ['offboard', 'cancelAction'] as const) {
      for (const failure of [http(500), { kind: 'timeout' } as Failure, { kind: 'network' } as Failure]) {
        expect(decideRetry({ operation, attempt: 1, failure }, cfg(0))).toMatchObject({
          action: 'verify',
          retryIfAbsent: true,
        });
        expect(decideRetry({ operation, attempt: 4, failure }, cfg(0))).toMatchObject({
          action: 'verify',
          retryIfAbsent: false,
        });
      }
    }
  });

  test('401: refresh the token once, then give up', () => {
    expect(decideRetry({ operation: 'offboard', attempt: 1, failure: http(401) }).action).toBe(
      'refreshToken',
    );
    expect(
      decideRetry({ operation: 'offboard', attempt: 2, failure: http(401), tokenRefreshed: true }).action,
    ).toBe('giveUp');
  });

  test('other 4xx are never retried', () => {
    for (const operation of OPERATIONS)
      for (const status of [400, 403, 404, 409, 415])
        expect(decideRetry({ operation, attempt: 1, failure: http(status) }).action).toBe('giveUp');
  });

  test('property: never earlier than Retry-After; offboard never blindly re-sent after an unknown outcome', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATIONS),
        fc.integer({ min: 1, max: 10 }),
        fc.oneof(
          fc.record({
            kind: fc.constant('http' as const),
            status: fc.integer({ min: 400, max: 599 }),
            retryAfterMs: fc.option(fc.nat(120_000), { nil: undefined }),
          }),
          fc.record({ kind: fc.constantFrom('timeout' as const, 'network' as const) }),
        ),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (operation, attempt, failure, r) => {
          const d = decideRetry({ operation, attempt, failure }, cfg(r));
          if (failure.kind === 'http' && failure.status === 429 && d.action === 'retry')
            expect(d.delayMs).toBeGreaterThanOrEqual(failure.retryAfterMs ?? 60_000);
          const unknownOutcome = failure.kind !== 'http' || failure.status >= 500 || failure.status === 408;
          if ((operation === 'offboard' || operation === 'cancelAction') && unknownOutcome)
            expect(d.action).toBe('verify');
          if (d.action === 'retry' || d.action === 'verify') expect(d.delayMs).toBeGreaterThan(0);
        },
      ),
    );
  });

  test('Retry-After: seconds or an HTTP date', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:45 GMT', now)).toBe(45_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
