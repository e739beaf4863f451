/**
 * The OpenTelemetry SDK for the configured exporter, imported dynamically by start.ts
 * only when one is configured. OTLP/HTTP (JSON) sends to `<endpoint>/v1/traces` and
 * `<endpoint>/v1/metrics`, and honours the standard OTEL_EXPORTER_OTLP_HEADERS; Azure
 * Monitor uses Microsoft's distro with its automatic instrumentations off (the bot
 * makes its own spans; patching http after it is loaded would miss it anyway).
 */
import { metrics, trace } from '@opentelemetry/api';
import type { TelemetryConfig } from '../config';
import { createOtelTelemetry } from './otel';
import type { Telemetry } from './types';

const SCOPE = 'offboarder';

export async function startSdk(
  config: Exclude<TelemetryConfig, { exporter: 'none' }>,
  version: string,
): Promise<Telemetry> {
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const resource = resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version });
  if (config.exporter === 'azureMonitor') {
    const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
    const off = { enabled: false };
    useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: config.connectionString },
      resource,
      enableLiveMetrics: false,
      enableStandardMetrics: false,
      enablePerformanceCounters: false,
      instrumentationOptions: {
        azureSdk: off,
        http: off,
        mongoDb: off,
        mySql: off,
        postgreSql: off,
        redis: off,
        redis4: off,
        bunyan: off,
        winston: off,
      },
    });
    return createOtelTelemetry({
      tracer: trace.getTracer(SCOPE, version),
      meter: metrics.getMeter(SCOPE, version),
      shutdown: () => shutdownAzureMonitor(),
    });
  }
  const [
    { NodeTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    sdkMetrics,
    { OTLPMetricExporter },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
  ]);
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces` }))],
  });
  // Registers the AsyncLocalStorage context manager too: child spans find their parent.
  tracerProvider.register();
  const meterProvider = new sdkMetrics.MeterProvider({
    resource,
    readers: [
      new sdkMetrics.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${config.endpoint}/v1/metrics` }),
        exportIntervalMillis: config.metricIntervalMs,
        exportTimeoutMillis: Math.min(30_000, config.metricIntervalMs),
      }),
    ],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  return createOtelTelemetry({
    tracer: tracerProvider.getTracer(SCOPE, version),
    meter: meterProvider.getMeter(SCOPE, version),
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  });
}
