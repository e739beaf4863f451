/**
 * The sandbox's side of start-up: the mock people as config defaults, and the
 * Defender simulator started (or one already running) as the bot's Defender.
 * index.ts loads this file only in sandbox mode; production code never does.
 */
import type { Config, SandboxDefaults } from '../bot/config';
import { staticTokenProvider } from '../bot/defender';
import { startRuntime, type Runtime, type RuntimeOptions } from '../bot/runtime';
import { startDefenderSimulator, type DefenderSimulator } from './defender';
import { SANDBOX_APPROVER_GROUPS, SANDBOX_TENANT_ID, sandboxIds } from './users';

export const SANDBOX_TOKEN = 'sandbox-token';

export const SANDBOX_DEFAULTS: SandboxDefaults = {
  tenantId: SANDBOX_TENANT_ID,
  requesters: sandboxIds('requester'),
  approvers: sandboxIds('approver'),
  approverGroups: [...SANDBOX_APPROVER_GROUPS],
};

export interface SandboxRuntimeOptions extends RuntimeOptions {
  /** Use this running simulator instead of starting one (tests that restart the bot). */
  simulator?: DefenderSimulator;
}

export interface SandboxRuntime extends Runtime {
  /** The simulator this runtime started or was given; absent with SIMULATOR_URL. */
  simulator?: DefenderSimulator;
}

/** Starts the bot; in sandbox mode with the simulator as its Defender. */
export async function startSandboxRuntime(
  config: Config,
  options: SandboxRuntimeOptions,
): Promise<SandboxRuntime> {
  if (config.mode !== 'sandbox') return startRuntime(config, options);
  const tokenProvider = staticTokenProvider(SANDBOX_TOKEN);
  const running = options.simulator?.url ?? config.simulator.url;
  if (running) {
    const simulator = options.simulator;
    const baseUrl = running;
    const runtime = await startRuntime(config, { ...options, defenderTarget: { baseUrl, tokenProvider } });
    return { ...runtime, simulator };
  }
  const simulator = await startDefenderSimulator({
    port: config.simulator.port,
    actionSeconds: config.simulator.actionSeconds,
    limits: { perMinute: config.defender.ratePerMinute, perHour: config.defender.ratePerHour },
    acceptToken: (t) => t === SANDBOX_TOKEN,
  }).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EADDRINUSE'
      ? new Error(`Port ${config.simulator.port} is already in use: set SIMULATOR_PORT to a free port.`)
      : e;
  });
  try {
    const runtime = await startRuntime(config, {
      ...options,
      defenderTarget: { baseUrl: simulator.url, tokenProvider },
    });
    return {
      ...runtime,
      simulator,
      stop: async () => {
        await runtime.stop();
        await simulator.close();
      },
    };
  } catch (e) {
    await simulator.close();
    throw e;
  }
}
