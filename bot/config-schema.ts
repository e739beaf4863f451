import { z } from 'zod';

/**
 * The environment schema: every setting, its default and its bounds. zod collects
 * every problem at once, which is what "one message naming every bad key" needs.
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

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

export const schema = z.object({
  PORT: intIn(3978, 0, 65535),
  HOST: optionalString,
  LOG_LEVEL: z.preprocess(
    (v) => blankToUndefined(v) ?? 'info',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  ),
  DATA_DIR: z.preprocess((v) => blankToUndefined(v) ?? './data', z.string()),
  // Messages never echo the value: it holds a password.
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine(
        (u) => /^postgres(ql)?:\/\//i.test(u) && URL.canParse(u),
        'must be a postgres:// URL such as postgres://offboarder:password@db.example.com:5432/offboarder?sslmode=verify-full (percent-encode special characters in the password)',
      )
      .optional(),
  ),
  LEASE_SECONDS: intIn(15, 5, 600),

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
  MDE_MANAGED_IDENTITY: z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.trim().toLowerCase()) : v),
    z
      .enum(['system'], {
        errorMap: () => ({ message: "must be 'system' (or use MDE_MANAGED_IDENTITY_CLIENT_ID)" }),
      })
      .optional(),
  ),
  MDE_MANAGED_IDENTITY_CLIENT_ID: optionalGuid,
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
  DRAFT_TTL_MINUTES: intIn(60, 1, 24 * 60),
  REMINDER_AFTER_MINUTES: intIn(60, 1, 24 * 60),
  // Bulk requests (`offboard ws-1, ws-2 …`, `tag:`, `group:`): a selector alone matching more
  // devices than BULK_CONFIRM_OVER asks the requester to confirm the count first.
  BULK_CONFIRM_OVER: intIn(20, 1, 500),
  // 500: the largest set whose card is tested to stay under Teams' card size limit.
  BULK_MAX_DEVICES: intIn(500, 1, 500),
  BOT_DEFAULT_LOCALE: z.preprocess((v) => blankToUndefined(v) ?? 'en', z.enum(['en', 'ru'])),
  ALLOWED_TENANT_IDS: guidList,
  // Entra groups whose members (transitively) also qualify; read from Microsoft Graph.
  OFFBOARD_REQUESTER_GROUPS: guidList,
  OFFBOARD_APPROVER_GROUPS: guidList,
  GRAPH_BASE_URL: httpsUrl('https://graph.microsoft.com'),
  // Default: GRAPH_BASE_URL + /.default, so a sovereign cloud needs only GRAPH_BASE_URL.
  GRAPH_SCOPE: z.preprocess(
    blankToUndefined,
    z.string().url('must be a scope URL ending in /.default').optional(),
  ),
  GROUP_CACHE_SECONDS: intIn(300, 0, 86400),
  POLICY_FILE: optionalString,

  TRACKING_FIRST_CHECK_SECONDS: intIn(10, 1, 3600),
  TRACKING_MAX_INTERVAL_SECONDS: intIn(300, 1, 86400),

  // Messages never echo the value: it identifies the Application Insights resource.
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine(
        (v) => /(^|;)\s*InstrumentationKey=/i.test(v),
        'must be an Application Insights connection string (InstrumentationKey=...;IngestionEndpoint=...)',
      )
      .optional(),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .url('must be a URL such as http://127.0.0.1:4318')
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  OTEL_SERVICE_NAME: z.preprocess((v) => blankToUndefined(v) ?? 'offboarder', z.string().trim()),
  OTEL_METRIC_EXPORT_INTERVAL: intIn(60000, 100, 3_600_000),

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
