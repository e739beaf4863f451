/**
 * Environment → typed, validated config. Only index.ts calls this, with process.env;
 * everything else receives the result (docs/architecture.md, "Layers": only
 * index.ts reads the environment). Every setting is documented in .env.sample with
 * its default; a test keeps the two in step.
 */
import type { z } from 'zod';
import type { Locale } from './i18n';
import { BOT_FRAMEWORK_PASSTHROUGH_KEYS, schema } from './config-schema';

export { BOT_FRAMEWORK_PASSTHROUGH_KEYS };

/** Every setting name this project reads: .env.sample must document exactly these. */
export const CONFIG_KEYS: readonly string[] = [
  ...Object.keys(schema.shape),
  ...BOT_FRAMEWORK_PASSTHROUGH_KEYS,
];

export type Mode = 'sandbox' | 'production';

interface DefenderSettings {
  apiBaseUrl: string;
  authorityHost: string;
  scope: string;
  ratePerMinute: number;
  ratePerHour: number;
  requestTimeoutMs: number;
}

/** How the bot gets Defender tokens in production: exactly one kind is configured. */
export type DefenderCredential =
  | { kind: 'secret'; clientId: string; secret: string }
  | { kind: 'certificate'; clientId: string; path: string }
  /** No secret: the host's managed identity; `clientId` picks a user-assigned one. */
  | { kind: 'managedIdentity'; clientId?: string };

/** Where spans and metrics go; 'none' loads no OpenTelemetry SDK at all. */
export type TelemetryConfig = { serviceName: string; metricIntervalMs: number } & (
  | { exporter: 'none' }
  | { exporter: 'azureMonitor'; connectionString: string }
  | { exporter: 'otlp'; endpoint: string }
);

interface CommonConfig {
  port: number;
  host: string;
  logLevel: string;
  /** The language of messages whose addressee's locale is unknown (BOT_DEFAULT_LOCALE). */
  defaultLocale: Locale;
  /** Many devices under one approval (BULK_CONFIRM_OVER, BULK_MAX_DEVICES). */
  bulk: { confirmOver: number; maxDevices: number };
  dataDir: string;
  /** PostgreSQL (for more than one instance) when set; otherwise SQLite in dataDir. */
  databaseUrl?: string;
  /** How long an instance's hold on a request's execution lasts unless renewed. */
  leaseMs: number;
  bot: {
    appId?: string;
    password?: string;
    type: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMsi';
    tenantId?: string;
    /** True when Bot Framework JWT validation is off (sandbox or explicit opt-in). */
    unauthenticated: boolean;
    /** Options for ConfigurationBotFrameworkAuthentication, keys as botbuilder names them. */
    frameworkAuth: Record<string, string>;
  };
  policy: {
    requesters: string[];
    approvers: string[];
    approvalsRequired: number;
    requestTtlMs: number;
    draftTtlMs: number;
    /** An unapproved request gets one reminder in its thread this long after submission. */
    reminderAfterMs: number;
    allowedTenantIds: string[];
  };
  tracking: { firstCheckMs: number; maxIntervalMs: number };
  /** Entra groups and Microsoft Graph (docs/directory.md). */
  directory: {
    requesterGroups: string[];
    approverGroups: string[];
    graphBaseUrl: string;
    graphScope: string;
    /** How long a group membership may be shown from cache; deciding checks always ask Graph. */
    groupCacheMs: number;
  };
  /** Rules per device (bot/policy-file), read and validated at start. */
  policyFile?: string;
  telemetry: TelemetryConfig;
}

/** No Defender credentials: the embedded simulator and the Playground stand in. */
export interface SandboxConfig extends CommonConfig {
  mode: 'sandbox';
  defender: DefenderSettings;
  /** `url`: use a simulator already running there instead of starting one. */
  simulator: { port: number; actionSeconds: number; url?: string };
  /** The Microsoft 365 Agents Playground (local Teams simulation). */
  playground: { enabled: boolean; port: number };
}

export interface ProductionConfig extends CommonConfig {
  mode: 'production';
  /** `tenantId` is required for client credentials; a managed identity knows its own. */
  defender: DefenderSettings & { tenantId?: string; credential: DefenderCredential };
}

export type Config = SandboxConfig | ProductionConfig;

/**
 * The sandbox's mock people and tenant. index.ts loads them from sandbox/ (only in
 * sandbox mode) and passes them in, so production code never loads the sandbox.
 */
export interface SandboxDefaults {
  tenantId: string;
  requesters: string[];
  approvers: string[];
  requesterGroups?: string[];
  approverGroups?: string[];
}

/** Each of these names a Defender credential; any one of them means production. */
export const CREDENTIAL_KEYS = [
  'MDE_CLIENT_ID',
  'MDE_MANAGED_IDENTITY',
  'MDE_MANAGED_IDENTITY_CLIENT_ID',
] as const;

/** The one rule for the mode: Defender credentials mean production. */
export function isSandboxEnv(env: Record<string, string | undefined>): boolean {
  return !CREDENTIAL_KEYS.some((key) => env[key]?.trim());
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length}): ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>, sandbox?: SandboxDefaults): Config {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    // One line per key, so the message names each bad setting once.
    const byKey = new Map<string, string[]>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
    }
    for (const [key, messages] of byKey) problems.push(`${key}: ${[...new Set(messages)].join(', ')}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const mode: Mode = isSandboxEnv(env) ? 'sandbox' : 'production';
  const sandboxList = (key: 'requesters' | 'approvers') => (mode === 'sandbox' ? (sandbox?.[key] ?? []) : []);

  // Cross-field rules: each names the key to change.
  if (mode === 'production') {
    problems.push(...credentialProblems(e));
    if (!e.OFFBOARD_REQUESTERS?.length && !e.OFFBOARD_REQUESTER_GROUPS?.length)
      problems.push(
        'OFFBOARD_REQUESTERS: required in production (comma-separated Entra object ids) unless ' +
          'OFFBOARD_REQUESTER_GROUPS is set',
      );
    if (!e.OFFBOARD_APPROVERS?.length && !e.OFFBOARD_APPROVER_GROUPS?.length)
      problems.push(
        'OFFBOARD_APPROVERS: required in production (comma-separated Entra object ids) unless ' +
          'OFFBOARD_APPROVER_GROUPS is set',
      );
  }
  if (e.BOT_ID) {
    if (e.BOT_TYPE !== 'UserAssignedMsi' && !e.BOT_PASSWORD && !env.MicrosoftAppCertificateThumbprint)
      problems.push('BOT_PASSWORD: required when BOT_ID is set (unless BOT_TYPE=UserAssignedMsi)');
    if (e.BOT_TYPE !== 'MultiTenant' && !e.BOT_TENANT_ID)
      problems.push(`BOT_TENANT_ID: required when BOT_ID is set and BOT_TYPE=${e.BOT_TYPE}`);
  } else if (mode === 'production' && !e.ALLOW_UNAUTHENTICATED_BOT) {
    problems.push(
      'BOT_ID: required in production; without it anyone could post to /api/messages ' +
        '(set ALLOW_UNAUTHENTICATED_BOT=true only for local testing)',
    );
  }
  // De-duplicated case-insensitively first: "A,a,B" is two people, not three.
  const requesters = unique(e.OFFBOARD_REQUESTERS ?? sandboxList('requesters'));
  const approvers = unique(e.OFFBOARD_APPROVERS ?? sandboxList('approvers'));
  const sandboxGroups = (key: 'requesterGroups' | 'approverGroups') =>
    mode === 'sandbox' ? (sandbox?.[key] ?? []) : [];
  const requesterGroups = unique(e.OFFBOARD_REQUESTER_GROUPS ?? sandboxGroups('requesterGroups'));
  const approverGroups = unique(e.OFFBOARD_APPROVER_GROUPS ?? sandboxGroups('approverGroups'));
  // Approver groups are counted when a request opens (bot/policy-file/reachable.ts). A
  // requester group may hold any listed approver, so then every approver is a possible requester.
  const possibleRequesters = requesterGroups.length ? unique([...requesters, ...approvers]) : requesters;
  const short = approvalsUnreachableFor(possibleRequesters, approvers, e.APPROVALS_REQUIRED);
  if (approvers.length && !approverGroups.length && short) {
    problems.push(
      `APPROVALS_REQUIRED: ${e.APPROVALS_REQUIRED} approvals can never be reached for requester ${short.requester}: ` +
        `OFFBOARD_APPROVERS has only ${short.others} approver(s) besides them (the requester never counts)`,
    );
  }
  if (mode === 'production') {
    if (e.ALLOW_UNAUTHENTICATED_BOT && !e.BOT_ID && !isLoopbackHost(e.HOST))
      problems.push(
        'HOST: must be a loopback address (127.0.0.1, ::1 or localhost) while ALLOW_UNAUTHENTICATED_BOT=true ' +
          'in production: anyone who reaches the port could act as anyone',
      );
    // Bearer tokens never travel in clear text over a network; loopback (a local proxy or test) is not one.
    for (const key of ['MDE_API_BASE_URL', 'MDE_AUTHORITY_HOST', 'GRAPH_BASE_URL'] as const)
      if (!isSecureOrLoopback(e[key])) problems.push(`${key}: must be an https:// URL outside the sandbox`);
  }
  if (e.APPLICATIONINSIGHTS_CONNECTION_STRING && e.OTEL_EXPORTER_OTLP_ENDPOINT)
    problems.push(
      'OTEL_EXPORTER_OTLP_ENDPOINT: set either it or APPLICATIONINSIGHTS_CONNECTION_STRING, not both',
    );
  if (e.TRACKING_MAX_INTERVAL_SECONDS < e.TRACKING_FIRST_CHECK_SECONDS)
    problems.push('TRACKING_MAX_INTERVAL_SECONDS: must be at least TRACKING_FIRST_CHECK_SECONDS');
  if (problems.length) throw new ConfigError(problems);

  const frameworkAuth: Record<string, string> = {};
  for (const key of BOT_FRAMEWORK_PASSTHROUGH_KEYS) {
    const v = env[key];
    if (v !== undefined && v !== '') frameworkAuth[key] = v;
  }
  // With no app id, botbuilder turns authentication off; an app type without an id
  // is refused by its credential factory, so it is only passed with BOT_ID.
  if (e.BOT_ID) {
    frameworkAuth.MicrosoftAppId = e.BOT_ID;
    frameworkAuth.MicrosoftAppType = e.BOT_TYPE;
    if (e.BOT_PASSWORD) frameworkAuth.MicrosoftAppPassword = e.BOT_PASSWORD;
    if (e.BOT_TENANT_ID) frameworkAuth.MicrosoftAppTenantId = e.BOT_TENANT_ID;
  }

  const allowedTenants =
    e.ALLOWED_TENANT_IDS ??
    [e.BOT_TENANT_ID ?? e.MDE_TENANT_ID ?? (mode === 'sandbox' ? sandbox?.tenantId : undefined)].filter(
      (t): t is string => Boolean(t),
    );

  const common: CommonConfig = {
    port: e.PORT,
    host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.BOT_DEFAULT_LOCALE,
    bulk: { confirmOver: e.BULK_CONFIRM_OVER, maxDevices: e.BULK_MAX_DEVICES },
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    leaseMs: e.LEASE_SECONDS * 1000,
    bot: {
      appId: e.BOT_ID,
      password: e.BOT_PASSWORD,
      type: e.BOT_TYPE,
      tenantId: e.BOT_TENANT_ID,
      unauthenticated: !e.BOT_ID,
      frameworkAuth,
    },
    policy: {
      requesters,
      approvers,
      approvalsRequired: e.APPROVALS_REQUIRED,
      requestTtlMs: e.REQUEST_TTL_HOURS * 3600_000,
      draftTtlMs: e.DRAFT_TTL_MINUTES * 60_000,
      reminderAfterMs: e.REMINDER_AFTER_MINUTES * 60_000,
      allowedTenantIds: allowedTenants.map(lc),
    },
    tracking: {
      firstCheckMs: e.TRACKING_FIRST_CHECK_SECONDS * 1000,
      maxIntervalMs: e.TRACKING_MAX_INTERVAL_SECONDS * 1000,
    },
    directory: {
      requesterGroups,
      approverGroups,
      graphBaseUrl: e.GRAPH_BASE_URL,
      graphScope: e.GRAPH_SCOPE ?? `${e.GRAPH_BASE_URL}/.default`,
      groupCacheMs: e.GROUP_CACHE_SECONDS * 1000,
    },
    ...(e.POLICY_FILE ? { policyFile: e.POLICY_FILE } : {}),
    telemetry: telemetryConfig(e),
  };
  const defender: DefenderSettings = {
    apiBaseUrl: e.MDE_API_BASE_URL,
    authorityHost: e.MDE_AUTHORITY_HOST,
    scope: e.MDE_SCOPE,
    ratePerMinute: e.MDE_RATE_PER_MINUTE,
    ratePerHour: e.MDE_RATE_PER_HOUR,
    requestTimeoutMs: e.MDE_REQUEST_TIMEOUT_SECONDS * 1000,
  };
  if (mode === 'sandbox') {
    return {
      ...common,
      mode,
      defender,
      simulator: { port: e.SIMULATOR_PORT, actionSeconds: e.SIMULATOR_ACTION_SECONDS, url: e.SIMULATOR_URL },
      playground: { enabled: e.PLAYGROUND, port: e.PLAYGROUND_PORT },
    };
  }
  // The cross-field checks above guarantee exactly one kind in production.
  const clientId = e.MDE_CLIENT_ID ?? '';
  const credential: DefenderCredential =
    e.MDE_MANAGED_IDENTITY || e.MDE_MANAGED_IDENTITY_CLIENT_ID
      ? { kind: 'managedIdentity', clientId: e.MDE_MANAGED_IDENTITY_CLIENT_ID }
      : e.MDE_CLIENT_SECRET
        ? { kind: 'secret', clientId, secret: e.MDE_CLIENT_SECRET }
        : { kind: 'certificate', clientId, path: e.MDE_CLIENT_CERTIFICATE_PATH ?? '' };
  return { ...common, mode, defender: { ...defender, tenantId: e.MDE_TENANT_ID, credential } };
}

type Settings = z.infer<typeof schema>;

/** Exactly one credential kind: an app registration (id + secret or certificate) or a managed identity. */
function credentialProblems(e: Settings): string[] {
  const problems: string[] = [];
  if (e.MDE_MANAGED_IDENTITY && e.MDE_MANAGED_IDENTITY_CLIENT_ID)
    problems.push(
      'MDE_MANAGED_IDENTITY: set either it (system-assigned identity) or MDE_MANAGED_IDENTITY_CLIENT_ID ' +
        '(user-assigned identity), not both',
    );
  if (e.MDE_MANAGED_IDENTITY || e.MDE_MANAGED_IDENTITY_CLIENT_ID) {
    const chosen = e.MDE_MANAGED_IDENTITY ? 'MDE_MANAGED_IDENTITY' : 'MDE_MANAGED_IDENTITY_CLIENT_ID';
    for (const key of ['MDE_CLIENT_ID', 'MDE_CLIENT_SECRET', 'MDE_CLIENT_CERTIFICATE_PATH'] as const)
      if (e[key])
        problems.push(
          `${key}: remove it; ${chosen} is set and only one Defender credential may be configured`,
        );
    return problems;
  }
  if (!e.MDE_TENANT_ID) problems.push('MDE_TENANT_ID: required when MDE_CLIENT_ID is set');
  if (!e.MDE_CLIENT_SECRET && !e.MDE_CLIENT_CERTIFICATE_PATH)
    problems.push('MDE_CLIENT_SECRET: set it or MDE_CLIENT_CERTIFICATE_PATH (PEM with private key)');
  if (e.MDE_CLIENT_SECRET && e.MDE_CLIENT_CERTIFICATE_PATH)
    problems.push('MDE_CLIENT_CERTIFICATE_PATH: set either it or MDE_CLIENT_SECRET, not both');
  return problems;
}

function telemetryConfig(e: Settings): TelemetryConfig {
  const common = { serviceName: e.OTEL_SERVICE_NAME, metricIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL };
  if (e.APPLICATIONINSIGHTS_CONNECTION_STRING)
    return { ...common, exporter: 'azureMonitor', connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING };
  if (e.OTEL_EXPORTER_OTLP_ENDPOINT)
    return { ...common, exporter: 'otlp', endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT };
  return { ...common, exporter: 'none' };
}

const lc = (s: string) => s.toLowerCase();
const unique = (ids: readonly string[]) => [...new Set(ids.map(lc))];

/**
 * The exact reachability rule: for every requester, the approvers other than that
 * requester must number at least `required`. Returns the first requester for whom
 * they do not (with an empty requester list, the approvers must reach it on their own).
 */
export function approvalsUnreachableFor(
  requesters: readonly string[],
  approvers: readonly string[],
  required: number,
): { requester: string; others: number } | undefined {
  for (const requester of requesters.length ? requesters : ['(anyone)']) {
    const others = approvers.filter((a) => a !== requester).length;
    if (others < required) return { requester, others };
  }
  return undefined;
}

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost)$/i;

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

function isSecureOrLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || isLoopbackHost(u.hostname);
}
