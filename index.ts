/**
 * Composition root: the only place that reads process.env, starts servers and
 * handles signals. Everything it starts is stopped on SIGINT/SIGTERM: no new turns,
 * in-flight work finished, timers stopped, store closed, child processes killed.
 * The sandbox (simulator, Playground, mock people) is loaded only in sandbox mode.
 * Only light modules are imported up front: the runtime (botbuilder, restify, cards)
 * loads after the Playground's process is launched, so the two starts overlap.
 */
import { ConfigError, isSandboxEnv, loadConfig, type Config } from './bot/config';
import { createLogger, type Logger } from './bot/log';
import type { Runtime } from './bot/runtime';
import { botUrlFor } from './bot/bot-url';
import { prettyDestination } from './bot/log-pretty';
import { startTelemetry } from './bot/telemetry/start';
import type { PlaygroundHandle } from './sandbox/playground';

async function main(): Promise<void> {
  const sandboxMode = isSandboxEnv(process.env);
  const defaults = sandboxMode ? (await import('./sandbox/defaults')).SANDBOX_DEFAULTS : undefined;
  let config: Config;
  try {
    config = loadConfig(process.env, defaults);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Offboarder cannot start. ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  // A person at a terminal in the sandbox reads the logs; anything else parses JSON.
  const destination =
    config.mode === 'sandbox' && process.stdout.isTTY ? await prettyDestination() : undefined;
  const traced = config.telemetry.exporter !== 'none';
  let logFields = (): object => ({});
  const logger = createLogger({
    level: config.logLevel,
    destination,
    mixin: traced ? () => logFields() : undefined,
  });
  announceMode(config, logger);
  const telemetry = await startTelemetry(config.telemetry, logger);
  logFields = telemetry.logFields;

  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const stop of stops.reverse())
      await stop().catch((err) => logger.warn({ err }, 'shutdown step failed'));
    process.exit(exitCode);
  };
  // Last to stop: it flushes the spans and metrics of everything before it.
  stops.push(() => telemetry.shutdown());
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // The Playground is a process of its own that needs only the bot's address, so it
  // starts first and its start overlaps the bot's (docs/start-up.md).
  let playground: Promise<PlaygroundHandle> | undefined;
  if (config.mode === 'sandbox' && config.playground.enabled) {
    const { freePort, startPlayground } = await import('./sandbox/playground');
    // PORT=0: the Playground is told the bot's port before the bot listens on it.
    if (config.port === 0) config = { ...config, port: await freePort() };
    playground = startPlayground({
      botEndpoint: `${botUrlFor(config.host, config.port)}/api/messages`,
      port: config.playground.port,
      projectDir: __dirname,
      logger: {
        info: (...a: unknown[]) => logger.info(a.map(String).join(' ')),
        warn: (...a: unknown[]) => logger.warn(a.map(String).join(' ')),
        error: (...a: unknown[]) => logger.error(a.map(String).join(' ')),
      },
    });
    const started = playground;
    // Stopped with everything else, even when a signal comes before it is up.
    stops.push(() =>
      started.then(
        (pg) => pg.stop(),
        () => undefined,
      ),
    );
  }

  let runtime: Runtime;
  try {
    runtime = sandboxMode
      ? await (await import('./sandbox/runtime')).startSandboxRuntime(config, { logger, telemetry })
      : await (await import('./bot/runtime')).startRuntime(config, { logger, telemetry });
  } catch (e) {
    logger.fatal({ err: e }, 'Offboarder failed to start');
    console.error(`Offboarder cannot start: ${(e as Error).message}`);
    await shutdown('start-failed', 1);
    return;
  }
  stops.push(() => runtime.stop());

  if (playground) {
    try {
      const pg = await playground;
      const { PLAYGROUND_HELP } = await import('./sandbox/playground');
      console.log(PLAYGROUND_HELP(pg.url, config.defaultLocale));
    } catch (e) {
      console.error(`The Playground did not start: ${(e as Error).message}`);
      await shutdown('playground-failed', 1);
    }
  } else if (config.mode === 'sandbox') {
    console.log(
      `Sandbox bot ready at ${runtime.botUrl}/api/messages (Playground disabled: PLAYGROUND=false).`,
    );
  }
}

function announceMode(config: Config, logger: Logger): void {
  if (config.policy.approvalsRequired < 2)
    logger.warn(
      `APPROVALS_REQUIRED=${config.policy.approvalsRequired}: one approver besides the requester is enough to ` +
        'offboard a device. Set it to 2 or more for a two-person rule among approvers.',
    );
  if (config.mode === 'sandbox') {
    logger.warn(
      'SANDBOX MODE: no Defender credential (MDE_CLIENT_ID, MDE_MANAGED_IDENTITY or MDE_MANAGED_IDENTITY_CLIENT_ID) ' +
        'is set, so Offboarder talks to the embedded Defender simulator ' +
        'and Bot Framework authentication is OFF. Nothing real is offboarded.',
    );
  } else if (config.bot.unauthenticated) {
    logger.warn(
      'Bot Framework authentication is OFF (ALLOW_UNAUTHENTICATED_BOT=true with no BOT_ID): anyone who can reach ' +
        '/api/messages can act as any user. Use this for local testing only.',
    );
  }
}

void main();
