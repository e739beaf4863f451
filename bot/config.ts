import { z } from 'zod';
import { SANDBOX_TENANT_ID, sandboxIds } from '../sandbox/users';

/**
 * Environment → typed, validated config. Only index.ts calls this, with process.env;
 * everything else receives the result (architecture.md: only index.ts reads env).
 * Every setting is documented in .env.sample with its default; a test keeps the two
 * in step.
 */

/** Bot Framework authentication settings read by botbuilder's
 * ConfigurationBotFrameworkAuthentication, passed through unchanged so Azure
 * Government and other sovereign deployments work without code changes. */
export const BOT_FRAMEWORK_PASSTHROUGH_KEYS = [
  'ChannelService',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToBotFromEnterpriseChannelOpenIdMetadataUrl',
  'ToBotFromMsaTokenIssuer',
  'ToBotFromTenantTokenIssuer',
  'OAuthUrl',
  'OAuthApiEndpoint',
  'ValidateAuthority',
  'CallerId',
  'MicrosoftAppCertificateThumbprint',
  'MicrosoftAppCertificatePrivateKey',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const optionalGuid = z.preprocess(
  blankToUndefined,
  z.string().trim().regex(GUID, 'must be a GUID (e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47)').optional(),
);
const intIn = (def: number, min: number, max: number) =>
  z.preprocess(
    (v) => (blankToUndefined(v) === undefined ? def : Number(v)),
    z
      .number({ invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );
const bool = (def: boolean) =>
  z.preprocess(
    (v) => {
      const s = blankToUndefined(v);
      if (s === undefined) return def;
      if (typeof s === 'string' && /^(true|1|yes)$/i.test(s)) return true;
      if (typeof s === 'string' && /^(false|0|no)$/i.test(s)) return false;
      return s;
    },
    z.boolean({ invalid_type_error: 'must be true or false' }),
  );
const httpsUrl = (def: string) =>
  z.preprocess(
    (v) => blankToUndefined(v) ?? def,
    z
      .string()
      .url('must be a URL')
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, '')),
  );
const guidList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string().regex(GUID, 'must be a comma-separated list of Entra object ids (GUIDs)')).optional(),
);

const schema = z.object({
  PORT: intIn(3978, 0, 65535),
  HOST: optionalString,
  LOG_LEVEL: z.preprocess(
    (v) => blankToUndefined(v) ?? 'info',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  ),
  DATA_DIR: z.preprocess((v) => blankToUndefined(v) ?? './data', z.string()),

  BOT_ID: optionalGuid,
  BOT_PASSWORD: optionalString,
  BOT_TYPE: z.preprocess(
    (v) => blankToUndefined(v) ?? 'SingleTenant',
    z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMsi']),
  ),
  BOT_TENANT_ID: optionalGuid,
  ALLOW_UNAUTHENTICATED_BOT: bool(false),

  MDE_TENANT_ID: optionalGuid,
  MDE_CLIENT_ID: optionalGuid,
  MDE_CLIENT_SECRET: optionalString,
  MDE_CLIENT_CERTIFICATE_PATH: optionalString,
  MDE_API_BASE_URL: httpsUrl('https://api.securitycenter.microsoft.com'),
  MDE_AUTHORITY_HOST: httpsUrl('https://login.microsoftonline.com'),
  MDE_SCOPE: z.preprocess(
    (v) => blankToUndefined(v) ?? 'https://api.securitycenter.microsoft.com/.default',
    z.string().url('must be a scope URL ending in /.default'),
  ),
  MDE_RATE_PER_MINUTE: intIn(100, 1, 10000),
  MDE_RATE_PER_HOUR: intIn(1500, 1, 100000),
  MDE_REQUEST_TIMEOUT_SECONDS: intIn(30, 1, 600),

  OFFBOARD_REQUESTERS: guidList,
  OFFBOARD_APPROVERS: guidList,
  APPROVALS_REQUIRED: intIn(2, 1, 10),
  REQUEST_TTL_HOURS: intIn(24, 1, 24 * 30),
  ALLOWED_TENANT_IDS: guidList,

  TRACKING_FIRST_CHECK_SECONDS: intIn(10, 1, 3600),
  TRACKING_MAX_INTERVAL_SECONDS: intIn(300, 1, 86400),

  SIMULATOR_PORT: intIn(3979, 0, 65535),
  SIMULATOR_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .url('must be a URL such as http://127.0.0.1:3979')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  PLAYGROUND: bool(true),
  PLAYGROUND_PORT: intIn(56150, 0, 65535),
  SIMULATOR_ACTION_SECONDS: intIn(20, 0, 86400),
});

/** Every setting name this project reads: .env.sample must document exactly these. */
export const CONFIG_KEYS: readonly string[] = [
  ...Object.keys(schema.shape),
  ...BOT_FRAMEWORK_PASSTHROUGH_KEYS,
];

export type Mode = 'sandbox' | 'production';

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  logLevel: string;
  dataDir: string;
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
  defender: {
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    certificatePath?: string;
    apiBaseUrl: string;
    authorityHost: string;
    scope: string;
    ratePerMinute: number;
    ratePerHour: number;
    requestTimeoutMs: number;
  };
  policy: {
    requesters: string[];
    approvers: string[];
    approvalsRequired: number;
    requestTtlMs: number;
    allowedTenantIds: string[];
  };
  tracking: { firstCheckMs: number; maxIntervalMs: number };
  /** `url`: use a simulator already running there instead of starting one. */
  simulator: { port: number; actionSeconds: number; url?: string };
  /** Sandbox only: the Microsoft 365 Agents Playground (local Teams simulation). */
  playground: { enabled: boolean; port: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length}): ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
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
  const mode: Mode = e.MDE_CLIENT_ID ? 'production' : 'sandbox';

  // Cross-field rules: each names the key to change.
  if (mode === 'production') {
    if (!e.MDE_TENANT_ID) problems.push('MDE_TENANT_ID: required when MDE_CLIENT_ID is set');
    if (!e.MDE_CLIENT_SECRET && !e.MDE_CLIENT_CERTIFICATE_PATH)
      problems.push('MDE_CLIENT_SECRET: set it or MDE_CLIENT_CERTIFICATE_PATH (PEM with private key)');
    if (e.MDE_CLIENT_SECRET && e.MDE_CLIENT_CERTIFICATE_PATH)
      problems.push('MDE_CLIENT_CERTIFICATE_PATH: set either it or MDE_CLIENT_SECRET, not both');
    if (!e.OFFBOARD_REQUESTERS?.length)
      problems.push('OFFBOARD_REQUESTERS: required in production (comma-separated Entra object ids)');
    if (!e.OFFBOARD_APPROVERS?.length)
      problems.push('OFFBOARD_APPROVERS: required in production (comma-separated Entra object ids)');
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
  const approvers = e.OFFBOARD_APPROVERS ?? (mode === 'sandbox' ? sandboxIds('approver') : []);
  if (approvers.length && approvers.length < e.APPROVALS_REQUIRED + 1) {
    problems.push(
      `APPROVALS_REQUIRED: ${e.APPROVALS_REQUIRED} approvals can never be reached with ` +
        `${approvers.length} approver(s) in OFFBOARD_APPROVERS (the requester never counts, so at least ` +
        `${e.APPROVALS_REQUIRED + 1} are needed)`,
    );
  }
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
    [e.BOT_TENANT_ID ?? e.MDE_TENANT_ID ?? (mode === 'sandbox' ? SANDBOX_TENANT_ID : undefined)].filter(
      (t): t is string => Boolean(t),
    );

  return {
    mode,
    port: e.PORT,
    host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    bot: {
      appId: e.BOT_ID,
      password: e.BOT_PASSWORD,
      type: e.BOT_TYPE,
      tenantId: e.BOT_TENANT_ID,
      unauthenticated: !e.BOT_ID,
      frameworkAuth,
    },
    defender: {
      tenantId: e.MDE_TENANT_ID,
      clientId: e.MDE_CLIENT_ID,
      clientSecret: e.MDE_CLIENT_SECRET,
      certificatePath: e.MDE_CLIENT_CERTIFICATE_PATH,
      apiBaseUrl: e.MDE_API_BASE_URL,
      authorityHost: e.MDE_AUTHORITY_HOST,
      scope: e.MDE_SCOPE,
      ratePerMinute: e.MDE_RATE_PER_MINUTE,
      ratePerHour: e.MDE_RATE_PER_HOUR,
      requestTimeoutMs: e.MDE_REQUEST_TIMEOUT_SECONDS * 1000,
    },
    policy: {
      requesters: (e.OFFBOARD_REQUESTERS ?? (mode === 'sandbox' ? sandboxIds('requester') : [])).map(lc),
      approvers: approvers.map(lc),
      approvalsRequired: e.APPROVALS_REQUIRED,
      requestTtlMs: e.REQUEST_TTL_HOURS * 3600_000,
      allowedTenantIds: allowedTenants.map(lc),
    },
    tracking: {
      firstCheckMs: e.TRACKING_FIRST_CHECK_SECONDS * 1000,
      maxIntervalMs: e.TRACKING_MAX_INTERVAL_SECONDS * 1000,
    },
    simulator: { port: e.SIMULATOR_PORT, actionSeconds: e.SIMULATOR_ACTION_SECONDS, url: e.SIMULATOR_URL },
    playground: { enabled: mode === 'sandbox' && e.PLAYGROUND, port: e.PLAYGROUND_PORT },
  };
}

const lc = (s: string) => s.toLowerCase();
