/**
 * Human-readable log lines for a person at a terminal (sandbox mode, stdout a TTY);
 * everywhere else the logger writes JSON lines. pino-pretty is loaded only then, and
 * if it is missing (a production install without it) the lines stay JSON.
 */
import type { DestinationStream } from 'pino';

export async function prettyDestination(): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      sync: true,
    });
  } catch {
    return undefined;
  }
}
