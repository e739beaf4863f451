/**
 * Defender tokens from the host's managed identity (App Service, Container Apps, VMs,
 * AKS): no secret anywhere in the configuration. msal-node's ManagedIdentityApplication
 * finds the identity endpoint itself from the environment the platform sets
 * (IDENTITY_ENDPOINT + IDENTITY_HEADER on App Service and Container Apps, else IMDS).
 * An endpoint that fails or never answers becomes a DefenderError of kind 'token'
 * within `timeoutMs`: /readyz and the card report it, nothing crashes.
 */
import { LogLevel, ManagedIdentityApplication, type INetworkModule } from '@azure/msal-node';
import type { Logger } from '../log';
import { DefenderError } from './defender-error';
import { describeMsalError, type TokenProvider } from './token';

export interface ManagedIdentityTokenProviderOptions {
  /** Client id of a user-assigned identity; omitted: the system-assigned one. */
  clientId?: string;
  /** `https://api.securitycenter.microsoft.com/.default` or the bare resource. */
  scope: string;
  logger: Logger;
  /** Bound on one token request, msal's own retries included. */
  timeoutMs: number;
  /** Replaces msal's HTTP client (tests, proxies). */
  networkClient?: INetworkModule;
}

export function createManagedIdentityTokenProvider(o: ManagedIdentityTokenProviderOptions): TokenProvider {
  const { logger } = o;
  const identity = o.clientId ? 'user-assigned' : 'system-assigned';
  let app: ManagedIdentityApplication;
  try {
    app = new ManagedIdentityApplication({
      ...(o.clientId ? { managedIdentityIdParams: { userAssignedClientId: o.clientId } } : {}),
      system: {
        ...(o.networkClient ? { networkClient: o.networkClient } : {}),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii) logger.debug({ msal: message }, 'msal');
          },
        },
      },
    });
  } catch (e) {
    throw managedIdentityError(describeMsalError(e, (s) => s));
  }
  // The resource, not a scope: the identity endpoint takes `resource=`; msal strips /.default too.
  const resource = o.scope.replace(/\/\.default$/, '');
  let inflight: Promise<string> | undefined;

  async function acquire(forceRefresh: boolean): Promise<string> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(managedIdentityError(`no answer within ${Math.ceil(o.timeoutMs / 1000)} s`)),
        o.timeoutMs,
      );
      timer.unref();
    });
    try {
      const result = await Promise.race([app.acquireToken({ resource, forceRefresh }), timeout]);
      if (!result?.accessToken) throw new Error('empty token response');
      logger.debug(
        { identity, fromCache: result.fromCache, expiresOn: result.expiresOn?.toISOString() },
        'defender token acquired',
      );
      return result.accessToken;
    } catch (e) {
      const err = e instanceof DefenderError ? e : managedIdentityError(describeMsalError(e, (s) => s));
      logger.warn(
        { identity, durationMs: Date.now() - started, detail: err.message },
        'defender token failed',
      );
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    getToken(opts) {
      // One request to the identity endpoint at a time: concurrent callers share it.
      if (!inflight || opts?.forceRefresh) {
        const p = acquire(Boolean(opts?.forceRefresh)).finally(() => {
          if (inflight === p) inflight = undefined;
        });
        inflight = p;
      }
      return inflight;
    },
  };
}

const managedIdentityError = (detail: string) =>
  new DefenderError({ kind: 'token', tokenSource: 'managedIdentity', detail });
