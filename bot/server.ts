import restify from 'restify';
import type { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { Logger } from './log';

/**
 * The HTTP edge: Bot Framework activities on POST /api/messages, liveness and
 * readiness probes. Bodies are capped (Teams activities are small; a card action is a
 * few kB) so an oversized body is refused before any parsing work.
 */
export const MAX_BODY_BYTES = 256 * 1024;

export interface Readiness {
  check(): Promise<Record<string, 'ok' | string>>;
}

export interface BotServer {
  server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, then waits (bounded) for in-flight turns. */
  close(timeoutMs?: number): Promise<void>;
}

export function createBotServer(deps: {
  adapter: TeamsAdapter;
  app: Application;
  logger: Logger;
  readiness: Readiness;
}): BotServer {
  const server = restify.createServer({ name: 'offboarder', handleUncaughtExceptions: false });
  let inFlight = 0;
  let drained: (() => void) | undefined;

  // restify checks maxBodySize against the compressed size and then inflates without a
  // limit: a 19 kB gzip body became 20 MB, before authentication. Teams sends plain
  // JSON, so any Content-Encoding but identity is refused outright.
  server.pre((req, res, next) => {
    const encoding = String(req.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding !== 'identity') {
      res.send(415, { error: 'Compressed request bodies are not accepted.' });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    inFlight++;
    try {
      const body = req.body as { type?: unknown } | null;
      if (
        !req.is('application/json') ||
        typeof body !== 'object' ||
        body === null ||
        !isActivityType(body.type)
      ) {
        res.send(400, { error: 'Expected a JSON Bot Framework activity.' });
        return;
      }
      await deps.adapter.process(req, res, (ctx) => deps.app.run(ctx).then(() => undefined));
    } catch (err) {
      deps.logger.error({ err }, 'failed to process activity');
      if (!res.headersSent) res.send(500);
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    const checks = await deps.readiness.check().catch((e: Error) => ({ readiness: e.message }));
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks });
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          resolve((server.address() as { port: number }).port);
        });
      }),
    close: async (timeoutMs = 10_000) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]);
      }
      server.server.closeAllConnections?.();
      await closed;
    },
  };
}

/** botbuilder throws (and CloudAdapter answers 500) on an activity without a type: that is a 400. */
function isActivityType(t: unknown): boolean {
  return typeof t === 'string' && t.length > 0 && t.length <= 64;
}
