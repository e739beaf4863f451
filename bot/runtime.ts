/**
 * Builds and starts every part from a validated config. index.ts calls it with the
 * real clock; tests call it with fakes and port 0. Returns a handle whose stop()
 * shuts down in order: no new turns, background work, then the store. In sandbox
 * mode the caller says where the Defender stand-in is (sandbox/runtime.ts): this
 * file never loads the simulator.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
// The adapter alone: the package's index loads all of Teams AI (bot/teams/turn-router.ts).
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config, ProductionConfig } from './config';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './clock';
import type { Logger } from './log';
import { newRequestId } from './commands';
import {
  createDefenderClient,
  createMsalTokenProvider,
  createRateLimiter,
  type TokenProvider,
} from './defender';
import type { RequestStore } from './store/types';
import { openStore } from './store';
import type { RateBudget } from './defender/rate-budget';
import type { RateLimits } from './defender/rate-windows';
import { createOffboarding, type Offboarding } from './offboarding/service';
import { createCardViewers, type CardViewers } from './teams/card-viewers';
import { setUpDirectory, type GraphTarget } from './offboarding/directory-setup';
import { approversAmong, cardPolicy, stillApproverNames } from './offboarding/rules';
import { createTeamsNotifier } from './teams/notifier';
import { answerBadTokensWith401 } from './teams/auth';
import { createApp } from './app';
import { createBotServer } from './server';
import { botUrlFor } from './bot-url';
import { prepareCardTemplates } from '../cards/render';
import { createReadiness } from './readiness';
import { createManagedIdentityTokenProvider } from './defender/managed-identity';
import { countDeliveryRetries, instrumentApp, instrumentStore, observeQueues } from './telemetry/instrument';
import { noopTelemetry, type Telemetry } from './telemetry/types';

export interface RuntimeOptions {
  logger: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Period of the expiry / redelivery sweep. */
  maintenanceMs?: number;
  /** Where Defender is, when not the real one from the production config (the sandbox). */
  defenderTarget?: DefenderTarget;
  /** Spans and metrics (bot/telemetry); default: none, and nothing is wrapped. */
  telemetry?: Telemetry;
  /** Where Microsoft Graph is, when not the configured one (the sandbox's stand-in). */
  graphTarget?: GraphTarget;
  /** The sandbox with the Playground only: a person's Teams language, which it cannot send. */
  personLocale?: (aadObjectId: string) => string | undefined;
}

export interface DefenderTarget {
  baseUrl: string;
  tokenProvider: TokenProvider;
}

export interface Runtime {
  port: number;
  botUrl: string;
  offboarding: Offboarding;
  /** The request store as opened (operators' tools and tests read requests through it). */
  store: RequestStore;
  stop(): Promise<void>;
}

export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const telemetry = options.telemetry ?? noopTelemetry;
  // `exclusive`: one process per DATA_DIR (SQLite); PostgreSQL serves several.
  const opened = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    clock,
    exclusive: true,
  });
  const store = telemetry.enabled ? instrumentStore(opened, telemetry, clock) : opened;
  const cleanups: Array<() => Promise<void> | void> = [() => store.close()];
  try {
    const target =
      options.defenderTarget ?? (config.mode === 'production' ? productionTarget(config, logger) : undefined);
    if (!target) throw new Error('Sandbox mode needs a Defender stand-in (sandbox/runtime.ts starts one).');
    const { baseUrl, tokenProvider } = target;
    const limits = { perMinute: config.defender.ratePerMinute, perHour: config.defender.ratePerHour };
    // On PostgreSQL, one budget for every instance: Defender's limits are per application.
    const budget = config.databaseUrl ? await sharedBudget(opened, limits) : undefined;
    const limiter = createRateLimiter({ ...limits, budget });
    cleanups.unshift(() => limiter.stop());
    if (telemetry.enabled) observeQueues(limiter, telemetry);
    const defender = createDefenderClient({
      baseUrl,
      tokenProvider,
      limiter,
      logger,
      timeoutMs: config.defender.requestTimeoutMs,
      clock,
      scheduler,
      telemetry,
    });

    const adapter = new TeamsAdapter(
      config.bot.frameworkAuth as unknown as ConfigurationBotFrameworkAuthenticationOptions,
    );
    answerBadTokensWith401(adapter);
    const botAppId = config.bot.appId ?? '';
    const notifierScheduler = telemetry.enabled ? countDeliveryRetries(scheduler, telemetry) : scheduler;
    const roster = {
      requesters: new Set(config.policy.requesters),
      approvers: new Set(config.policy.approvers),
      allowedTenantIds: new Set(config.policy.allowedTenantIds),
    };
    const directory = await setUpDirectory(config, {
      logger,
      clock,
      scheduler,
      graphTarget: () =>
        options.graphTarget ??
        (config.mode === 'production'
          ? {
              baseUrl: config.directory.graphBaseUrl,
              tokenProvider: tokenProviderFor(config.defender, config.directory.graphScope, logger),
            }
          : undefined),
    });
    const policy = {
      roster,
      approvalsRequired: config.policy.approvalsRequired,
      ttlMs: config.policy.requestTtlMs,
      draftTtlMs: config.policy.draftTtlMs,
      bulk: config.bulk,
      directory,
    };
    let viewers: CardViewers | undefined;
    const notifier = createTeamsNotifier({
      adapter,
      botAppId,
      clock,
      scheduler: notifierScheduler,
      logger,
      policy: cardPolicy(policy),
      // The Playground does not implement `refresh.userIds`: it keeps the shared card.
      userIds: (r) => viewers?.userIds(r) ?? Promise.resolve([]),
      defaultLocale: config.defaultLocale,
    });
    if (!(config.mode === 'sandbox' && config.playground.enabled))
      viewers = createCardViewers({
        roster: (r) => notifier.conversationMembers!(r),
        approvers: (r, roster) => approversAmong(policy, r, roster),
        stillApprovers: (r, roster) => stillApproverNames(policy, r, roster),
        clock,
        logger,
        cacheMs: config.directory.groupCacheMs,
      });
    const offboarding = createOffboarding(
      {
        store,
        defender,
        notifier,
        clock,
        scheduler,
        logger,
        newId: () => newRequestId(() => randomInt(0, 2 ** 32) / 2 ** 32),
        policy,
        tracking: config.tracking,
        defaultLocale: config.defaultLocale,
      },
      {
        lease: { owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs: config.leaseMs },
        reminderAfterMs: config.policy.reminderAfterMs,
      },
    );
    cleanups.unshift(async () => {
      offboarding.stop();
      await offboarding.idle();
    });

    const routed = createApp({
      adapter,
      botAppId,
      offboarding,
      clock,
      logger,
      viewers,
      defaultLocale: config.defaultLocale,
      personLocale: options.personLocale,
    });
    const app = telemetry.enabled ? instrumentApp(routed, telemetry) : routed;
    const server = createBotServer({
      adapter,
      app,
      logger,
      readiness: createReadiness({
        checks: { store: () => store.ping(), defender: () => tokenProvider.getToken().then(() => undefined) },
        clock,
        logger,
      }),
    });
    // The card engine is loaded on first use; parsed here, before the port opens, so the
    // first turns after a start do not wait for it (docs/start-up.md).
    prepareCardTemplates();
    const port = await server.listen(config.port, config.host).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE'
        ? new Error(`Port ${config.port} on ${config.host} is already in use: set PORT to a free port.`)
        : e;
    });
    cleanups.unshift(() => server.close());

    await offboarding.resume();
    offboarding.startMaintenance(options.maintenanceMs ?? 60_000);
    const botUrl = botUrlFor(config.host, port);
    logger.info({ port, mode: config.mode }, `Offboarder listening on ${botUrl}/api/messages`);
    return { port, botUrl, offboarding, store, stop: () => runAll(cleanups, logger) };
  } catch (e) {
    await runAll(cleanups, logger);
    throw e;
  }
}

function productionTarget(config: ProductionConfig, logger: Logger): DefenderTarget {
  const { defender } = config;
  return { baseUrl: defender.apiBaseUrl, tokenProvider: tokenProviderFor(defender, defender.scope, logger) };
}

/** Tokens for `scope` with the configured credential (Defender's; Microsoft Graph's too). */
export function tokenProviderFor(
  defender: ProductionConfig['defender'],
  scope: string,
  logger: Logger,
): TokenProvider {
  const { credential } = defender;
  if (credential.kind === 'managedIdentity')
    return createManagedIdentityTokenProvider({
      clientId: credential.clientId,
      scope,
      logger,
      timeoutMs: defender.requestTimeoutMs,
    });
  return createMsalTokenProvider({
    tenantId: defender.tenantId ?? '',
    clientId: credential.clientId,
    clientSecret: credential.kind === 'secret' ? credential.secret : undefined,
    certificatePem: credential.kind === 'certificate' ? readFileSync(credential.path, 'utf8') : undefined,
    authorityHost: defender.authorityHost,
    scope,
    logger,
  });
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

/**
 * Defender's limits per application, kept in PostgreSQL for every instance. Loaded only
 * with DATABASE_URL, so a SQLite bot never loads the pg driver.
 */
async function sharedBudget(store: RequestStore, limits: RateLimits): Promise<RateBudget> {
  const [{ PostgresRequestStore }, { createPostgresBudget }] = await Promise.all([
    import('./store/postgres'),
    import('./defender/rate-budget-postgres'),
  ]);
  if (!(store instanceof PostgresRequestStore))
    throw new Error('DATABASE_URL is set but the store is not PostgreSQL');
  return createPostgresBudget({ pool: store.pool, ...limits });
}
