import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { BotApp } from './app';
import { readJsonBody } from './http/json-body';
import type { Logger } from './log';
import type { Readiness, ReadinessResult } from './readiness';

/**
 * The HTTP edge: Bot Framework activities on POST /api/messages, liveness and
 * readiness probes. Bodies are capped (Teams activities are small; a card action is a
 * few kB) so an oversized body is refused before any parsing work. Only JSON is read,
 * in memory; nothing is written to disk before authentication.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** Web Chat and Direct Line clients write channelData (the tenant) themselves. */
export const DEFAULT_ALLOWED_CHANNEL_IDS: readonly string[] = ['msteams'];

export interface BotServer {
  server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, then waits (bounded) for in-flight turns. */
  close(timeoutMs?: number): Promise<void>;
}

export function createBotServer(deps: {
  adapter: CloudAdapter;
  app: BotApp;
  logger: Logger;
  readiness: Readiness;
  /** Activities from any other channel get 403 before authentication or any handler. */
  allowedChannelIds?: readonly string[];
}): BotServer {
  const allowedChannels = new Set(deps.allowedChannelIds ?? DEFAULT_ALLOWED_CHANNEL_IDS);
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
  // No bodyParser: it wrote multipart file parts to the temp folder, unauthenticated.
  server.post('/api/messages', async (req, res) => {
    inFlight++;
    try {
      const body = await readJsonBody(req, MAX_BODY_BYTES);
      if (!body.ok) {
        // Whatever of the body is unread is not worth reading: close after answering.
        if (body.status === 413) res.setHeader('connection', 'close');
        res.send(body.status, { error: body.error });
        return;
      }
      const activity = body.value as { type?: unknown; channelId?: unknown } | null;
      if (
        typeof activity !== 'object' ||
        activity === null ||
        Array.isArray(activity) ||
        !isActivityType(activity.type)
      ) {
        res.send(400, { error: 'Expected a JSON Bot Framework activity.' });
        return;
      }
      // Authentication binds channelId to a key endorsed for that channel, so refusing
      // here, before it, lets through nothing it would later refuse.
      if (typeof activity.channelId !== 'string' || !allowedChannels.has(activity.channelId)) {
        deps.logger.warn(
          { channelId: String(activity.channelId).slice(0, 64), activityType: String(activity.type) },
          'activity from a channel other than Microsoft Teams refused',
        );
        res.send(403, { error: 'This bot only serves Microsoft Teams.' });
        return;
      }
      req.body = activity;
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
  // Unauthenticated: a reason code only; the details are in the log.
  server.get('/readyz', async (_req, res) => {
    const result = await deps.readiness.check().catch((err: unknown): ReadinessResult => {
      deps.logger.warn({ err }, 'readiness check failed');
      return { ready: false, reason: 'check_failed' };
    });
    res.send(result.ready ? 200 : 503, result);
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
