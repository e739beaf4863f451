import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { AppError } from '../../bot/app-error';
import { CertificateError, certificateCredential } from '../../bot/defender/certificate';
import { DefenderError, DefenderErrorCode, isAlreadyInProgress } from '../../bot/defender/defender-error';

const http = (status: number, defenderCode = '', defenderMessage = '', operation = 'offboard' as const) =>
  new DefenderError({ kind: 'http', status, defenderCode, defenderMessage, target: 'corr-123', operation });

describe('DefenderError', () => {
  test('is an AppError with a stable code, the HTTP facts, and the support reference', () => {
    const e = http(400, 'OsPlatformNotSupported', 'not for macOS');
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({
      code: DefenderErrorCode.OsPlatformNotSupported,
      status: 400,
      defenderCode: 'OsPlatformNotSupported',
      defenderMessage: 'not for macOS',
      target: 'corr-123',
    });
    expect(e.chatMessage).toMatch(/support reference: corr-123/);
    expect(e.message).toBe(
      'Defender offboard failed: http 400 OsPlatformNotSupported: not for macOS [target corr-123]',
    );
  });

  test('403 names the missing permission for the operation', () => {
    expect(http(403, 'Forbidden').chatMessage).toMatch(/Machine\.Offboard/);
    for (const op of ['getMachine', 'listMachines', 'listActions', 'getAction'] as const) {
      const e = new DefenderError({ kind: 'http', status: 403, operation: op });
      expect(e.code).toBe(DefenderErrorCode.Forbidden);
      expect(e.chatMessage).toMatch(/Machine\.Read\.All/);
    }
  });

  test('already in progress: by code; by message only for the documented generic 400', () => {
    expect(http(400, 'ActiveRequestAlreadyExists').code).toBe(DefenderErrorCode.ActionAlreadyInProgress);
    expect(http(400, '', 'Action is already in progress').code).toBe(
      DefenderErrorCode.ActionAlreadyInProgress,
    );
    expect(http(400, 'BadRequest', 'Action is already in progress').code).toBe(
      DefenderErrorCode.ActionAlreadyInProgress,
    );
    // Another specific code wins over the message; so does another status.
    expect(http(400, 'InvalidInput', 'already in progress').code).toBe(DefenderErrorCode.BadRequest);
    expect(
      isAlreadyInProgress({ status: 500, defenderCode: '', defenderMessage: 'already in progress' }),
    ).toBe(false);
  });

  test.each([
    [401, '', DefenderErrorCode.Unauthorized, /access token \(401\)/],
    [404, 'ResourceNotFound', DefenderErrorCode.NotFound, /404/],
    [429, 'TooManyRequests', DefenderErrorCode.Throttled, /throttling/],
    [500, 'InternalServerError', DefenderErrorCode.ServerError, /internal error \(500\)/],
    [503, '', DefenderErrorCode.ServerError, /503/],
    [400, 'InvalidRequestBody', DefenderErrorCode.BadRequest, /rejected the request/],
  ])('HTTP %i %s → %s', (status, code, ours, text) => {
    const e = http(status, code);
    expect(e.code).toBe(ours);
    expect(e.chatMessage).toMatch(text);
    expect(e.chatMessage).toContain('(support reference: corr-123)');
  });

  test('no response: timeout, network, unknown outcome; no reference when there is none', () => {
    const t = new DefenderError({ kind: 'timeout', operation: 'getAction', detail: 'no answer within 30 s' });
    expect(t.code).toBe(DefenderErrorCode.Timeout);
    expect(t.chatMessage).toBe(
      'Defender did not answer in time while trying to read the machine action (no answer within 30 s).',
    );
    expect(new DefenderError({ kind: 'network', operation: 'getMachine' }).code).toBe(
      DefenderErrorCode.NetworkError,
    );
    expect(new DefenderError({ kind: 'unknownOutcome', operation: 'offboard' }).chatMessage).toMatch(
      /could not confirm.*Defender portal/,
    );
    expect(new DefenderError({ kind: 'http', status: 429, retryAfterMs: 30_000 }).chatMessage).toMatch(
      /wait 30 s/,
    );
  });
});

describe('certificate credential for msal-node v3', () => {
  test('thumbprintSha256, PKCS#8 key and x5c from one PEM; mismatches refused without echoing the PEM', async () => {
    const a = await generate([{ name: 'commonName', value: 'offboarder' }], { algorithm: 'sha256' });
    const b = await generate([{ name: 'commonName', value: 'other' }], { algorithm: 'sha256' });
    const cred = certificateCredential(`${a.private}\n${a.cert}`);
    expect(cred.thumbprintSha256).toBe(
      new X509Certificate(a.cert).fingerprint256.replace(/:/g, '').toLowerCase(),
    );
    expect(cred.thumbprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cred.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cred.x5c).toBe(a.cert.trim());
    for (const pem of [a.cert, a.private, `${a.cert}\n${b.private}`]) {
      let err: unknown;
      try {
        certificateCredential(pem);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CertificateError);
      expect((err as Error).message).not.toMatch(/MII/);
    }
  });
});
