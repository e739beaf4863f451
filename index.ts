import { ConfigError, loadConfig } from './bot/config';
import { createLogger } from './bot/log';

/**
 * Composition root: the only place that reads process.env, starts servers and timers.
 */
function main(): void {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Offboarder cannot start. ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger({ level: config.logLevel });
  logger.info({ mode: config.mode }, `Offboarder configuration loaded (${config.mode} mode)`);
}

main();
