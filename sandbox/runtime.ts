/**
 * The sandbox's side of start-up: the mock people as config defaults, the Defender
 * simulator started (or one already running) as the bot's Defender, and the Graph
 * stand-in (sandbox/graph) as its Microsoft Graph, so Frankie approves through a group.
 * index.ts loads this file only in sandbox mode; production code never does.
 */
import type { Config } from '../bot/config';
import { staticTokenProvider } from '../bot/defender';
import { startRuntime, type Runtime, type RuntimeOptions } from '../bot/runtime';
import { startDefenderSimulator, type DefenderSimulator } from './defender';
import { startGraphStandIn, type GraphStandIn } from './graph';
import { sandboxLocale } from './users';

export { SANDBOX_DEFAULTS } from './defaults';

export const SANDBOX_TOKEN = 'sandbox-token';

export interface SandboxRuntimeOptions extends RuntimeOptions {
  /** Use this running simulator instead of starting one (tests that restart the bot). */
  simulator?: DefenderSimulator;
  /** Use this Graph stand-in instead of starting one (tests that inject Graph faults). */
  graph?: GraphStandIn;
}

export interface SandboxRuntime extends Runtime {
  /** The simulator this runtime started or was given; absent with SIMULATOR_URL. */
  simulator?: DefenderSimulator;
  /** The Graph stand-in this runtime started or was given. */
  graph?: GraphStandIn;
}

/** Starts the bot; in sandbox mode with the simulator as its Defender and the stand-in as Graph. */
export async function startSandboxRuntime(
  config: Config,
  options: SandboxRuntimeOptions,
): Promise<SandboxRuntime> {
  if (config.mode !== 'sandbox') return startRuntime(config, options);
  const tokenProvider = staticTokenProvider(SANDBOX_TOKEN);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    let graph = options.graph;
    if (!graph) {
      graph = await startGraphStandIn({ acceptToken: (t) => t === SANDBOX_TOKEN });
      closers.push(graph.close);
    }
    const graphTarget = options.graphTarget ?? { baseUrl: graph.url, tokenProvider };
    let simulator = options.simulator;
    const running = simulator?.url ?? config.simulator.url;
    if (!running) {
      simulator = await startDefenderSimulator({
        port: config.simulator.port,
        actionSeconds: config.simulator.actionSeconds,
        limits: { perMinute: config.defender.ratePerMinute, perHour: config.defender.ratePerHour },
        acceptToken: (t) => t === SANDBOX_TOKEN,
        // The lab fleet (150 devices, tag lab-retired) for trying bulk offboarding.
        lab: true,
      }).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EADDRINUSE'
          ? new Error(`Port ${config.simulator.port} is already in use: set SIMULATOR_PORT to a free port.`)
          : e;
      });
      closers.push(simulator.close);
    }
    const baseUrl = running ?? simulator!.url;
    const runtime = await startRuntime(config, {
      ...options,
      defenderTarget: { baseUrl, tokenProvider },
      graphTarget,
      // The Playground sends every activity as en-US: each person's own language instead.
      personLocale: options.personLocale ?? (config.playground.enabled ? sandboxLocale : undefined),
    });
    return {
      ...runtime,
      simulator,
      graph,
      stop: async () => {
        await runtime.stop();
        await closeAll();
      },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
