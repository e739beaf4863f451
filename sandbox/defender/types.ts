import type { Clock } from '../../bot/clock';
import type { ActionStatus, Machine } from '../../bot/defender/types';

/** The API operations the simulator serves; each has its own rate budget (docs/defender-api.md). */
export type Operation =
  'listMachines' | 'getMachine' | 'offboard' | 'listActions' | 'getAction' | 'cancelAction';

export const OPERATIONS: readonly Operation[] = [
  'listMachines',
  'getMachine',
  'offboard',
  'listActions',
  'getAction',
  'cancelAction',
];

/**
 * A device as the simulator serves it: the Machine fields plus a few the real API also
 * returns. `sim` holds simulator-only behaviour and is never serialised.
 */
export interface SimMachine extends Machine {
  osProcessor?: string;
  osArchitecture?: string;
  isAadJoined?: boolean;
  managedBy?: string;
  sim?: {
    /** The offboard action never leaves Pending, like an unreachable device (docs/defender-api.md). */
    offboardStaysPending?: boolean;
  };
}

/** A MachineAction exactly as the simulator serialises it (status computed at read time). */
export interface MachineActionRecord {
  id: string;
  type: string;
  title: string | null;
  scope: string | null;
  requestor: string;
  requestorComment: string;
  requestSource: string;
  externalID: string | null;
  status: ActionStatus;
  machineId: string;
  computerDnsName: string;
  creationDateTimeUtc: string;
  lastUpdateDateTimeUtc: string;
  cancellationRequestor: string | null;
  cancellationComment: string | null;
  cancellationDateTimeUtc: string | null;
  errorHResult: number;
  relatedFileInfo: null;
  commands: unknown[];
  troubleshootInfo: null;
}

export interface Faults {
  /** Extra latency (wall-clock ms) on every response. */
  latencyMs?: number;
  /** 0..1 probability of answering 500 InternalServerError before doing anything. */
  errorRate?: number;
  /** Limit errorRate to these operations (default: all). */
  errorOperations?: Operation[];
  /** The next `remaining` API calls (of `operations`, default all) get 429 with `Retry-After: retryAfterSeconds`. */
  storm429?: { remaining: number; retryAfterSeconds: number; operations?: Operation[] };
  /** The next N offboard POSTs that would succeed create and store the action, then answer 500. */
  createThenFail?: number;
  /** The next N requests: the socket is destroyed without an answer. */
  dropConnection?: number;
  /** The next `stallCount` (default 1) requests are processed, then answered `stallMs` later. */
  stallMs?: number;
  stallCount?: number;
  /** An offboard of this machine created while the fault is set ends in this status. */
  failActions?: { machineId: string; finalStatus: 'Failed' | 'TimeOut' }[];
  /**
   * Not in the brief: docs/defender-api.md says a duplicate request may instead return the
   * already-pending action. When true the simulator answers 200 with the existing action
   * instead of 400 ActiveRequestAlreadyExists, so clients can be tested against both.
   */
  duplicateReturnsExisting?: boolean;
}

export interface CallLogEntry {
  /** Clock ms at arrival. */
  at: number;
  method: string;
  /** Raw path as received (not decoded). */
  path: string;
  /** Raw query string without the leading '?' (not decoded). */
  query: string;
  operation: Operation | 'unknown';
  /** HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
  /** Request body: parsed JSON, or the raw text if it was not JSON; absent when empty. */
  body?: unknown;
  /** Seconds sent in Retry-After (429 only). */
  retryAfter?: number;
}

export interface SimulatorOptions {
  /** Default 0 (a random free port). */
  port?: number;
  /** Default '127.0.0.1'. Only loopback addresses are accepted: the simulator trusts any token. */
  host?: string;
  /** All time logic (action progress, rate windows, Retry-After) reads this clock. */
  clock?: Clock;
  /** Seconds for an offboard to go Pending -> InProgress (at 1/3) -> final (at the end). Default 20. */
  actionSeconds?: number;
  /** Per operation, sliding windows. Default 100 per minute and 1,500 per hour (docs/defender-api.md). */
  limits?: { perMinute: number; perHour: number };
  /** Default: any non-empty bearer token. */
  acceptToken?: (token: string) => boolean;
  /** Default: createSimFleet(clock.now()). */
  fleet?: SimMachine[];
  /** Adds the 150-device lab fleet (lab-fleet.ts) to the default fleet. Default false. */
  lab?: boolean;
  faults?: Faults;
  /** Seeds the ids, correlation ids and random faults. Default 0x5eed. */
  seed?: number;
  /** Largest page before an @odata.nextLink is emitted. Default 50, so paging gets exercised. */
  pageSize?: number;
}

export interface DefenderSimulator {
  /** API base, e.g. http://127.0.0.1:54321 (paths are /api/...). */
  url: string;
  port: number;
  /** Every request in arrival order, rejected ones included. */
  calls: CallLogEntry[];
  machines: SimMachine[];
  /** Current actions with their status computed from the clock. */
  actions(): MachineActionRecord[];
  /** Replaces all faults (counters start afresh). */
  setFaults(f: Faults): void;
  /** Clears the call log, the actions and the rate windows. */
  reset(): void;
  /** Closes the server and destroys open sockets promptly. */
  close(): Promise<void>;
}
