/**
 * Telemetry on top of the OpenTelemetry API, once an SDK has registered its providers
 * (sdk.ts). Loaded only then: with no exporter configured the bot never imports it.
 */
import {
  context,
  createContextKey,
  SpanStatusCode,
  trace,
  type Attributes as OtelAttributes,
  type Counter,
  type Histogram,
  type Meter,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { ATTR, METRIC, SPAN, type CounterName, type HistogramName } from './names';
import type { Attributes, DefenderAttempt, Telemetry } from './types';

/** The activity (turn or click) a span belongs to: its root span and request id. */
interface Activity {
  root: Span;
  requestId?: string;
}
const ACTIVITY = createContextKey('offboarder.activity');
const ATTEMPT = createContextKey('offboarder.defender.attempt');

const COUNTERS: Record<CounterName, { description: string; unit: string }> = {
  [METRIC.requests]: { description: 'Requests entering each state', unit: '{request}' },
  [METRIC.defenderCalls]: { description: 'Defender HTTP attempts by operation and status', unit: '{call}' },
  [METRIC.defenderThrottled]: { description: 'Defender answers 429', unit: '{call}' },
  [METRIC.defenderRetries]: { description: 'Defender attempts after the first of a call', unit: '{call}' },
  [METRIC.deliveryRetries]: { description: 'Retried sends to Teams', unit: '{send}' },
};
const HISTOGRAMS: Record<HistogramName, { description: string; unit: string }> = {
  [METRIC.decisionDuration]: { description: 'From the request to its approval or rejection', unit: 's' },
  [METRIC.completionDuration]: { description: "From the approval to Defender's final status", unit: 's' },
  [METRIC.defenderDuration]: { description: 'One Defender HTTP attempt, token included', unit: 's' },
  [METRIC.queueWait]: { description: 'Wait in the client-side rate-limit queue', unit: 's' },
};

const clean = (a: Attributes): OtelAttributes => {
  const out: OtelAttributes = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
  return out;
};

export function createOtelTelemetry(o: {
  tracer: Tracer;
  meter: Meter;
  shutdown: () => Promise<void>;
}): Telemetry {
  const { tracer, meter } = o;
  const counters = new Map<string, Counter>();
  const histograms = new Map<string, Histogram>();
  const counter = (name: CounterName) => {
    let c = counters.get(name);
    if (!c) counters.set(name, (c = meter.createCounter(name, COUNTERS[name])));
    return c;
  };
  const histogram = (name: HistogramName) => {
    let h = histograms.get(name);
    if (!h) histograms.set(name, (h = meter.createHistogram(name, HISTOGRAMS[name])));
    return h;
  };
  const activity = () => context.active().getValue(ACTIVITY) as Activity | undefined;

  async function inSpan<T>(
    name: string,
    attributes: Attributes,
    fn: (span: Span) => Promise<T>,
    root = false,
  ): Promise<T> {
    const requestId = root ? undefined : activity()?.requestId;
    return tracer.startActiveSpan(
      name,
      { attributes: clean({ ...(requestId ? { [ATTR.requestId]: requestId } : {}), ...attributes }) },
      async (span) => {
        const run = root
          ? () => context.with(context.active().setValue(ACTIVITY, { root: span }), () => fn(span))
          : () => fn(span);
        try {
          return await run();
        } catch (e) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error)?.name });
          span.setAttribute(ATTR.errorType, errorType(e));
          throw e;
        } finally {
          span.end();
        }
      },
    );
  }

  return {
    enabled: true,
    span: (name, attributes, fn, options) => inSpan(name, attributes, () => fn(), options?.root),
    setRequestId(id) {
      const a = activity();
      trace.getActiveSpan()?.setAttribute(ATTR.requestId, id);
      if (a && !a.requestId) {
        a.requestId = id;
        a.root.setAttribute(ATTR.requestId, id);
      }
    },
    defenderAttempt(info, fn) {
      if (info.attempt > 1) counter(METRIC.defenderRetries).add(1, { [ATTR.operation]: info.operation });
      histogram(METRIC.queueWait).record(info.queueWaitMs / 1000, { [ATTR.operation]: info.operation });
      return context.with(context.active().setValue(ATTEMPT, info), fn);
    },
    defenderCall(info, fn) {
      const attempt = context.active().getValue(ATTEMPT) as DefenderAttempt | undefined;
      const started = performance.now();
      return inSpan(
        `${SPAN.defenderPrefix}${info.operation}`,
        {
          [ATTR.operation]: info.operation,
          [ATTR.method]: info.method,
          [ATTR.attempt]: attempt?.attempt ?? 1,
          [ATTR.queueWaitMs]: attempt?.queueWaitMs,
        },
        async (span) => {
          const op = { [ATTR.operation]: info.operation };
          const done = (status: number | undefined, error?: string) => {
            if (status) span.setAttribute(ATTR.status, status);
            counter(METRIC.defenderCalls).add(1, {
              ...op,
              ...(status ? { [ATTR.status]: status } : {}),
              ...(error ? { [ATTR.errorType]: error } : {}),
            });
            if (status === 429) counter(METRIC.defenderThrottled).add(1, op);
            histogram(METRIC.defenderDuration).record((performance.now() - started) / 1000, op);
          };
          try {
            const res = await fn();
            done(res.status);
            return res;
          } catch (e) {
            const status = (e as { status?: unknown }).status;
            done(typeof status === 'number' && status > 0 ? status : undefined, errorType(e));
            throw e;
          }
        },
      );
    },
    add: (metric, attributes = {}) => counter(metric).add(1, clean(attributes)),
    record: (metric, value, attributes = {}) => histogram(metric).record(value, clean(attributes)),
    observe(metric, read) {
      meter
        .createObservableGauge(metric, {
          description: 'Calls waiting in the rate-limit queue',
          unit: '{call}',
        })
        .addCallback((result) => {
          for (const { value, attributes } of read()) result.observe(value, clean(attributes));
        });
    },
    logFields(): Record<string, string> {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    shutdown: o.shutdown,
  };
}

/** A short, secret-free classification: the error's kind or code, never its message. */
function errorType(e: unknown): string {
  const o = (e ?? {}) as { kind?: unknown; code?: unknown; name?: unknown };
  for (const v of [o.kind, o.code, o.name]) if (typeof v === 'string' && v) return v;
  return 'error';
}
