/**
 * What the bot's code sees of telemetry: a few verbs, no OpenTelemetry types. The
 * default is `noopTelemetry`, which loads nothing; start.ts loads the SDK only when an
 * exporter is configured (docs/architecture.md, "Layers": the app is a function of its
 * dependencies, telemetry is one of them).
 */
import type { CounterName, GaugeName, HistogramName } from './names';

export type Attributes = Record<string, string | number | boolean | undefined>;

export interface DefenderAttempt {
  operation: string;
  /** 1 for the first attempt of a call. */
  attempt: number;
  /** Time this attempt waited in the rate-limit queue. */
  queueWaitMs: number;
}

export interface Telemetry {
  readonly enabled: boolean;
  /**
   * Runs `fn` in a span, a child of the active one. `root` starts an activity's span
   * (a turn or a click): request ids learned later inside it are set on it and copied
   * to its later child spans. A rejection marks the span failed and is rethrown.
   */
  span<T>(
    name: string,
    attributes: Attributes,
    fn: () => Promise<T>,
    options?: { root?: boolean },
  ): Promise<T>;
  /** The request this activity is about, once known (the store sees it first). */
  setRequestId(id: string): void;
  /** Around one Defender attempt inside its rate-limit slot; its HTTP span reads this. */
  defenderAttempt<T>(info: DefenderAttempt, fn: () => Promise<T>): Promise<T>;
  /** Around one Defender HTTP exchange: a span, the call and 429 counters, the duration. */
  defenderCall<T extends { status: number }>(
    info: { operation: string; method: string },
    fn: () => Promise<T>,
  ): Promise<T>;
  add(metric: CounterName, attributes?: Attributes): void;
  record(metric: HistogramName, value: number, attributes?: Attributes): void;
  observe(metric: GaugeName, read: () => Array<{ value: number; attributes: Attributes }>): void;
  /** Fields each log line carries: the active trace and span id, when there is one. */
  logFields(): Record<string, string>;
  /** Flushes what is buffered; called last at shutdown. */
  shutdown(): Promise<void>;
}

export const noopTelemetry: Telemetry = {
  enabled: false,
  span: (_name, _attributes, fn) => fn(),
  setRequestId: () => undefined,
  defenderAttempt: (_info, fn) => fn(),
  defenderCall: (_info, fn) => fn(),
  add: () => undefined,
  record: () => undefined,
  observe: () => undefined,
  logFields: () => ({}),
  shutdown: async () => undefined,
};
