/**
 * The local Defender for Endpoint simulator: an in-process HTTP server that behaves
 * like the API described in docs/defender-api.md. Used by `npm start` in sandbox mode,
 * by integration tests and by benchmarks.
 */
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../bot/clock';
import { ActionStore } from './actions';
import { FaultState } from './faults';
import { createSimFleet } from './fleet';
import { createLabFleet } from './lab-fleet';
import type { SimState } from './handlers';
import { OperationLimiter } from './rate-window';
import { mulberry32 } from './rng';
import { createSimServer } from './server';
import type { CallLogEntry, DefenderSimulator, SimulatorOptions } from './types';

export type {
  CallLogEntry,
  DefenderSimulator,
  Faults,
  MachineActionRecord,
  Operation,
  SimMachine,
  SimulatorOptions,
} from './types';
export { OPERATIONS } from './types';
export { SIM, SIM_FLEET, SIM_FLEET_EPOCH_MS, createSimFleet, simMachineId } from './fleet';
export { LAB, createLabFleet } from './lab-fleet';
export { DEFAULT_REQUESTOR } from './auth';

export const DEFAULT_LIMITS = { perMinute: 100, perHour: 1500 } as const;
export const DEFAULT_ACTION_SECONDS = 20;
export const DEFAULT_SEED = 0x5eed;

// The simulator accepts any token, so it must never be reachable from another host.
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

export async function startDefenderSimulator(opts: SimulatorOptions = {}): Promise<DefenderSimulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host))
    throw new Error(`Defender simulator: host must be a loopback address, got '${host}'`);
  const clock = opts.clock ?? systemClock;
  const actionSeconds = opts.actionSeconds ?? DEFAULT_ACTION_SECONDS;
  if (!Number.isFinite(actionSeconds) || actionSeconds < 0) {
    throw new Error(`Defender simulator: actionSeconds must be >= 0, got ${actionSeconds}`);
  }
  const limits = opts.limits ?? DEFAULT_LIMITS;
  for (const v of [limits.perMinute, limits.perHour]) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`Defender simulator: limits must be positive integers`);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  const faults = new FaultState(mulberry32(seed + 2));
  faults.set(opts.faults ?? {});
  let url = '';
  const state: SimState = {
    machines: opts.fleet ?? [
      ...createSimFleet(clock.now()),
      ...(opts.lab ? createLabFleet(clock.now()) : []),
    ],
    actions: new ActionStore(actionSeconds),
    faults,
    ids: mulberry32(seed),
    pageSize: Math.max(1, opts.pageSize ?? 50),
    baseUrl: () => url,
  };
  const calls: CallLogEntry[] = [];
  const limiter = new OperationLimiter(limits);
  const acceptToken = opts.acceptToken ?? ((t: string) => t.length > 0);
  const { server, shutdown } = createSimServer({
    state,
    clock,
    limiter,
    acceptToken,
    calls,
    targets: mulberry32(seed + 1),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${hostPart}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    calls,
    machines: state.machines,
    actions: () => state.actions.all().map((a) => state.actions.view(a, clock.now())),
    setFaults: (f) => faults.set(f),
    reset: () => {
      calls.length = 0;
      state.actions.clear();
      limiter.reset();
    },
    close: () => (closing ??= shutdown()),
  };
}
