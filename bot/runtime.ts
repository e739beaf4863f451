import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from './config';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './clock';
import type { Logger } from './log';
import { newRequestId } from './commands';
import {
  createDefenderClient,
  createMsalTokenProvider,
  createRateLimiter,
  staticTokenProvider,
  type TokenProvider,
} from './defender';
import { openSqliteStore } from './store';
import { createOffboarding, type Offboarding } from './offboarding/service';
import { createTeamsNotifier } from './teams/notifier';
import { answerBadTokensWith401 } from './teams/auth';
import { createApp } from './app';
import { createBotServer } from './server';
import { startDefenderSimulator, type DefenderSimulator } from '../sandbox/defender';

/**
 * Builds and starts every part from a validated config. index.ts calls it with the
 * real clock; tests call it with fakes and port 0. Returns a handle whose stop()
 * shuts down in order: no new turns, background work, then the store.
 */
export interface RuntimeOptions {
  logger: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Period of the expiry / redelivery sweep. */
  maintenanceMs?: number;
  /** Sandbox mode: use this running simulator instead of starting one (tests that restart the bot). */
  simulator?: DefenderSimulator;
}

export interface Runtime {
  port: number;
  botUrl: string;
  simulator?: DefenderSimulator;
  offboarding: Offboarding;
  stop(): Promise<void>;
}

export const SANDBOX_TOKEN = 'sandbox-token';

export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const store = openSqliteStore({ dataDir: config.dataDir, logger, clock });
  const cleanups: Array<() => Promise<void> | void> = [() => store.close()];
  try {
    let simulator: DefenderSimulator | undefined;
    let tokenProvider: TokenProvider;
    let baseUrl = config.defender.apiBaseUrl;
    if (config.mode === 'sandbox' && options.simulator) {
      simulator = options.simulator;
      baseUrl = simulator.url;
      tokenProvider = staticTokenProvider(SANDBOX_TOKEN);
    } else if (config.mode === 'sandbox' && config.simulator.url) {
      baseUrl = config.simulator.url;
      tokenProvider = staticTokenProvider(SANDBOX_TOKEN);
    } else if (config.mode === 'sandbox') {
      simulator = await startDefenderSimulator({
        port: config.simulator.port,
        actionSeconds: config.simulator.actionSeconds,
        limits: { perMinute: config.defender.ratePerMinute, perHour: config.defender.ratePerHour },
        acceptToken: (t) => t === SANDBOX_TOKEN,
      }).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EADDRINUSE'
          ? new Error(`Port ${config.simulator.port} is already in use: set SIMULATOR_PORT to a free port.`)
          : e;
      });
      const sim = simulator;
      cleanups.unshift(() => sim.close());
      baseUrl = simulator.url;
      tokenProvider = staticTokenProvider(SANDBOX_TOKEN);
    } else {
      tokenProvider = createMsalTokenProvider({
        tenantId: config.defender.tenantId!,
        clientId: config.defender.clientId!,
        clientSecret: config.defender.clientSecret,
        certificatePem: config.defender.certificatePath
          ? readFileSync(config.defender.certificatePath, 'utf8')
          : undefined,
        authorityHost: config.defender.authorityHost,
        scope: config.defender.scope,
        logger,
      });
    }
    const limiter = createRateLimiter({
      perMinute: config.defender.ratePerMinute,
      perHour: config.defender.ratePerHour,
    });
    cleanups.unshift(() => limiter.stop());
    const defender = createDefenderClient({
      baseUrl,
      tokenProvider,
      limiter,
      logger,
      timeoutMs: config.defender.requestTimeoutMs,
      clock,
      scheduler,
    });

    const adapter = new TeamsAdapter(
      config.bot.frameworkAuth as unknown as ConfigurationBotFrameworkAuthenticationOptions,
    );
    answerBadTokensWith401(adapter);
    const botAppId = config.bot.appId ?? '';
    const notifier = createTeamsNotifier({ adapter, botAppId, clock, scheduler, logger });
    const roster = {
      requesters: new Set(config.policy.requesters),
      approvers: new Set(config.policy.approvers),
      allowedTenantIds: new Set(config.policy.allowedTenantIds),
    };
    const offboarding = createOffboarding({
      store,
      defender,
      notifier,
      clock,
      scheduler,
      logger,
      newId: () => newRequestId(() => randomInt(0, 2 ** 32) / 2 ** 32),
      policy: {
        roster,
        approvalsRequired: config.policy.approvalsRequired,
        ttlMs: config.policy.requestTtlMs,
      },
      tracking: config.tracking,
    });
    cleanups.unshift(async () => {
      offboarding.stop();
      await offboarding.idle();
    });

    const app = createApp({ adapter, botAppId, offboarding, clock, logger });
    const server = createBotServer({
      adapter,
      app,
      logger,
      readiness: {
        check: async () => ({
          store: await store.ping().then(
            () => 'ok',
            (e: Error) => e.message,
          ),
          defender:
            config.mode === 'sandbox'
              ? 'ok'
              : await tokenProvider.getToken().then(
                  () => 'ok',
                  (e: { chatMessage?: string; message?: string }) =>
                    e.chatMessage ?? e.message ?? 'token unavailable',
                ),
        }),
      },
    });
    const port = await server.listen(config.port, config.host).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE'
        ? new Error(`Port ${config.port} on ${config.host} is already in use: set PORT to a free port.`)
        : e;
    });
    cleanups.unshift(() => server.close());

    await offboarding.resume();
    offboarding.startMaintenance(options.maintenanceMs ?? 60_000);
    const botUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ port, mode: config.mode }, `Offboarder listening on ${botUrl}/api/messages`);
    return { port, botUrl, simulator, offboarding, stop: () => runAll(cleanups, logger) };
  } catch (e) {
    await runAll(cleanups, logger);
    throw e;
  }
}

async function runAll(cleanups: Array<() => Promise<void> | void>, logger: Logger): Promise<void> {
  for (const fn of cleanups.splice(0)) {
    try {
      await fn();
    } catch (err) {
      logger.warn({ err }, 'error during shutdown');
    }
  }
}
