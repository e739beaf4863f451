/**
 * App-only tokens for the Defender API: client-credentials flow against the tenant
 * authority, scope `<resource>/.default` (docs/defender-api.md, "Hosts and tokens").
 * Tokens and secrets never reach a log line or an error message (docs/architecture.md, habit 12).
 */
import {
  ConfidentialClientApplication,
  LogLevel,
  type Configuration,
  type INetworkModule,
} from '@azure/msal-node';
import type { Logger } from '../log';
import { CertificateError, certificateCredential, type CertificateCredential } from './certificate';
import { DefenderError } from './defender-error';

export interface TokenProvider {
  /** `forceRefresh` after a 401: skip msal's cache and ask Entra ID again. */
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

/** Sandbox mode: the simulator accepts a fixed token. */
export function staticTokenProvider(token: string): TokenProvider {
  return { getToken: async () => token };
}

export interface MsalTokenProviderOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM with the certificate and its private key (certificate.ts). */
  certificatePem?: string;
  /** e.g. https://login.microsoftonline.com, https://login.microsoftonline.us */
  authorityHost: string;
  /** e.g. https://api.securitycenter.microsoft.com/.default */
  scope: string;
  logger: Logger;
  /** Extra CA certificate(s) to trust for the authority (a test IdP, a TLS-inspecting proxy). */
  ca?: string | string[];
  /** Replaces msal's HTTP client entirely (proxies with auth, tests). */
  networkClient?: INetworkModule;
  proxyUrl?: string;
}

/** Entra ID error codes worth naming in the chat: what an operator must fix. */
const AADSTS_HINTS: Record<string, string> = {
  AADSTS7000215: 'the client secret is wrong (use the secret value, not its id)',
  AADSTS7000222: 'the client secret has expired',
  AADSTS700016: 'the client id is not an app registration in this tenant',
  AADSTS90002: 'the tenant id does not exist',
  AADSTS900023: 'the tenant id is malformed',
  AADSTS700027: 'the certificate is not registered on the app or its key does not match',
  AADSTS7000112: 'the app registration is disabled',
  AADSTS500011: 'the token scope names an API this tenant does not have',
};

export function createMsalTokenProvider(options: MsalTokenProviderOptions): TokenProvider {
  const { logger } = options;
  // Configuration problems surface as TokenUnavailable with a safe detail, never the PEM.
  const misconfigured = (detail: string) => new DefenderError({ kind: 'token', detail });
  if (!options.clientSecret === !options.certificatePem) {
    throw misconfigured('configure exactly one of a client secret or a certificate');
  }
  let host: string;
  try {
    host = new URL(options.authorityHost).host;
  } catch {
    throw misconfigured('the authority host is not a URL');
  }
  const authority = `${options.authorityHost.replace(/\/+$/, '')}/${options.tenantId}`;
  const secrets = [options.clientSecret, options.certificatePem].filter((s): s is string => Boolean(s));
  let credential: { clientCertificate: CertificateCredential } | { clientSecret: string };
  try {
    credential = options.certificatePem
      ? { clientCertificate: certificateCredential(options.certificatePem) }
      : { clientSecret: options.clientSecret! };
  } catch (e) {
    throw misconfigured(`certificate: ${e instanceof CertificateError ? e.message : 'unreadable'}`);
  }
  if ('clientCertificate' in credential) secrets.push(credential.clientCertificate.privateKey);
  /** Defence in depth: even text from msal or the IdP is scrubbed of our secrets. */
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);

  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority,
      ...credential,
      // A host listed here gets its cloud metadata from the host itself, so msal never
      // calls the public cloud's instance discovery endpoint. Needed for sovereign
      // clouds and private/test IdPs; harmless for the public cloud. The tenant's
      // OpenID configuration is still read from `${authority}/v2.0/.well-known/...`.
      knownAuthorities: [host],
    },
    system: {
      ...(options.networkClient ? { networkClient: options.networkClient } : {}),
      ...(options.ca ? { customAgentOptions: { ca: options.ca } } : {}),
      ...(options.proxyUrl ? { proxyUrl: options.proxyUrl } : {}),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message, containsPii) => {
          if (!containsPii) logger.debug({ msal: scrub(message) }, 'msal');
        },
      },
    },
  };
  let app: ConfidentialClientApplication;
  try {
    app = new ConfidentialClientApplication(config);
  } catch (e) {
    throw misconfigured(describeMsalError(e, scrub));
  }
  let inflight: Promise<string> | undefined;

  async function acquire(forceRefresh: boolean): Promise<string> {
    const started = Date.now();
    try {
      // msal's cache serves the token until 300 s before it expires (msal-common
      // DEFAULT_TOKEN_RENEWAL_OFFSET_SEC; not configurable in msal-node) or until the
      // IdP's `refresh_in` passes, then asks Entra ID again: a token is refreshed before
      // expiry, never used up to the last second.
      const result = await app.acquireTokenByClientCredential({
        scopes: [options.scope],
        skipCache: forceRefresh,
      });
      if (!result?.accessToken) throw new Error('empty token response');
      logger.debug(
        { authorityHost: host, fromCache: result.fromCache, expiresOn: result.expiresOn?.toISOString() },
        'defender token acquired',
      );
      return result.accessToken;
    } catch (e) {
      const detail = describeMsalError(e, scrub);
      logger.warn({ authorityHost: host, durationMs: Date.now() - started, detail }, 'defender token failed');
      throw new DefenderError({ kind: 'token', detail });
    }
  }

  return {
    getToken(opts) {
      // One request to Entra ID at a time: concurrent callers share it.
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

/** msal error → short, secret-free text: msal's error code plus the AADSTS code and hint. */
export function describeMsalError(e: unknown, scrub: (s: string) => string): string {
  const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  const code = typeof o.errorCode === 'string' ? o.errorCode : '';
  const text = `${typeof o.errorMessage === 'string' ? o.errorMessage : ''} ${e instanceof Error ? e.message : ''}`;
  const aadsts = /AADSTS\d+/.exec(text)?.[0];
  const hint = aadsts ? AADSTS_HINTS[aadsts] : undefined;
  const parts = [code, aadsts, hint].filter(Boolean);
  if (!parts.length)
    parts.push(/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|certificate/i.exec(text)?.[0] ?? 'unknown error');
  return scrub(parts.join(': '));
}
