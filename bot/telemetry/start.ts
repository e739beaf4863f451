/**
 * Telemetry from the config: the no-op default when no exporter is configured, with
 * nothing imported, so the idle footprint does not grow; otherwise the SDK (sdk.ts),
 * loaded now. A failure to start telemetry is logged and the bot runs without it.
 */
import type { TelemetryConfig } from '../config';
import type { Logger } from '../log';
import { noopTelemetry, type Telemetry } from './types';

export async function startTelemetry(
  config: TelemetryConfig,
  logger: Logger,
  version = '0.0.0',
): Promise<Telemetry> {
  if (config.exporter === 'none') return noopTelemetry;
  try {
    const { startSdk } = await import('./sdk');
    const telemetry = await startSdk(config, version);
    logger.info(
      { exporter: config.exporter, ...(config.exporter === 'otlp' ? { endpoint: config.endpoint } : {}) },
      'telemetry exporting',
    );
    return telemetry;
  } catch (err) {
    logger.error({ err, exporter: config.exporter }, 'telemetry did not start; running without it');
    return noopTelemetry;
  }
}
