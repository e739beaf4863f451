/**
 * Human-readable log lines for a person at a terminal (sandbox mode, stdout a TTY);
 * everywhere else the logger writes JSON lines. pino-pretty is loaded only then, and
 * if it is missing (a production install without it) the lines stay JSON.
 */
import type { DestinationStream } from 'pino';

/** `out`: where the formatted lines go (default stdout; tests pass a stream). */
export async function prettyDestination(out?: NodeJS.WritableStream): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      sync: true,
      ...(out ? { destination: out } : {}),
    });
  } catch {
    return undefined;
  }
}
