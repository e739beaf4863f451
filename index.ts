/**
 * Composition root: the only place that reads process.env, starts servers and
 * handles signals. Everything it starts is stopped on SIGINT/SIGTERM: no new turns,
 * in-flight work finished, timers stopped, store closed, child processes killed.
 * The sandbox (simulator, Playground, mock people) is loaded only in sandbox mode.
 */
import { ConfigError, isSandboxEnv, loadConfig, type Config } from './bot/config';
import { createLogger, type Logger } from './bot/log';
import { startRuntime, type Runtime } from './bot/runtime';
import { prettyDestination } from './bot/log-pretty';
import { startTelemetry } from './bot/telemetry/start';

async function main(): Promise<void> {
  const sandbox = isSandboxEnv(process.env) ? await import('./sandbox/runtime') : undefined;
  let config: Config;
  try {
    config = loadConfig(process.env, sandbox?.SANDBOX_DEFAULTS);
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

  let runtime: Runtime;
  try {
    runtime = sandbox
      ? await sandbox.startSandboxRuntime(config, { logger, telemetry })
      : await startRuntime(config, { logger, telemetry });
  } catch (e) {
    logger.fatal({ err: e }, 'Offboarder failed to start');
    console.error(`Offboarder cannot start: ${(e as Error).message}`);
    process.exit(1);
  }
  stops.push(() => runtime.stop());

  if (config.mode === 'sandbox' && config.playground.enabled) {
    try {
      const { startPlayground, PLAYGROUND_HELP } = await import('./sandbox/playground');
      const pg = await startPlayground({
        botEndpoint: `${runtime.botUrl}/api/messages`,
        port: config.playground.port,
        projectDir: __dirname,
        logger: {
          info: (...a: unknown[]) => logger.info(a.map(String).join(' ')),
          warn: (...a: unknown[]) => logger.warn(a.map(String).join(' ')),
          error: (...a: unknown[]) => logger.error(a.map(String).join(' ')),
        },
      });
      stops.push(() => pg.stop());
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
