/**
 * Every span and metric name the bot emits, in one place: README ("Telemetry") lists
 * exactly these, and a test checks that one offboarding produces them.
 */
export const SPAN = {
  /** One Teams activity that is not a card click (a message, an install). */
  turn: 'offboarder.turn',
  /** One Action.Execute click on a request card. */
  click: 'offboarder.click',
  /** One request-store call; the suffix is the method (store.get, store.update, ...). */
  storePrefix: 'store.',
  /** One Defender HTTP attempt; the suffix is the operation (defender.offboard, ...). */
  defenderPrefix: 'defender.',
} as const;

export const ATTR = {
  requestId: 'offboarder.request_id',
  activityType: 'offboarder.activity.type',
  verb: 'offboarder.card.verb',
  state: 'offboarder.request.state',
  decision: 'offboarder.decision',
  storeMethod: 'offboarder.store.method',
  operation: 'defender.operation',
  attempt: 'defender.attempt',
  queueWaitMs: 'defender.queue.wait_ms',
  method: 'http.request.method',
  status: 'http.response.status_code',
  errorType: 'error.type',
} as const;

export const METRIC = {
  /** Counter: requests entering each state (attribute offboarder.request.state). */
  requests: 'offboarder.requests',
  /** Histogram, s: from the request to the decision (offboarder.decision = approved | rejected). */
  decisionDuration: 'offboarder.request.decision.duration',
  /** Histogram, s: from the approval to Defender's final status (offboarder.request.state). */
  completionDuration: 'offboarder.request.completion.duration',
  /** Counter: Defender HTTP attempts by defender.operation and http.response.status_code (or error.type). */
  defenderCalls: 'offboarder.defender.calls',
  /** Histogram, s: duration of one Defender HTTP attempt (token included). */
  defenderDuration: 'offboarder.defender.call.duration',
  /** Counter: Defender answers 429 by operation. */
  defenderThrottled: 'offboarder.defender.throttled',
  /** Counter: Defender attempts after the first one of a call (retries), by operation. */
  defenderRetries: 'offboarder.defender.retries',
  /** Histogram, s: time an attempt waited in the client-side rate-limit queue. */
  queueWait: 'offboarder.defender.queue.wait',
  /** Gauge: calls waiting in the rate-limit queue, by operation. */
  queueLength: 'offboarder.defender.queue.length',
  /** Counter: retried sends to Teams (cards, replies). */
  deliveryRetries: 'offboarder.delivery.retries',
} as const;

export type CounterName =
  | typeof METRIC.requests
  | typeof METRIC.defenderCalls
  | typeof METRIC.defenderThrottled
  | typeof METRIC.defenderRetries
  | typeof METRIC.deliveryRetries;
export type HistogramName =
  | typeof METRIC.decisionDuration
  | typeof METRIC.completionDuration
  | typeof METRIC.defenderDuration
  | typeof METRIC.queueWait;
export type GaugeName = typeof METRIC.queueLength;
