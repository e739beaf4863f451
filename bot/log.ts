/**
 * One structured logger, injected (docs/architecture.md, habit 12). Secrets never reach a
 * log line: the redaction paths below are a second line of defence, the first is that
 * no code passes tokens or secrets to the logger at all.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const REDACT_PATHS = [
  'token',
  'accessToken',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'clientSecret',
  'password',
  'secret',
  'privateKey',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.clientSecret',
  '*.password',
  '*.privateKey',
];

export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
  /** Fields added to every line (the active trace id: bot/telemetry). */
  mixin?: () => object;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { app: 'offboarder' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(options.mixin ? { mixin: options.mixin } : {}),
    },
    options.destination,
  );
}

/** A logger that drops everything; for tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
