import { isSandboxEnv, loadConfig } from '../../bot/config';
import { SANDBOX_DEFAULTS } from '../../sandbox/runtime';
import { G, problems } from '../support/config';

/** Managed identity credentials and telemetry settings (issue 15, §1 and §2). */
const people = { OFFBOARD_REQUESTERS: G(10), OFFBOARD_APPROVERS: `${G(11)},${G(12)},${G(13)}` };
const bot = { BOT_ID: G(3), BOT_PASSWORD: 'bot-pass', BOT_TENANT_ID: G(2) };

describe('Defender credential kinds', () => {
  it.each([['MDE_CLIENT_ID'], ['MDE_MANAGED_IDENTITY'], ['MDE_MANAGED_IDENTITY_CLIENT_ID']])(
    '%s alone means production',
    (key) => {
      expect(isSandboxEnv({ [key]: key === 'MDE_MANAGED_IDENTITY' ? 'system' : G(1) })).toBe(false);
      expect(isSandboxEnv({ [key]: '  ' })).toBe(true);
    },
  );

  it('MDE_MANAGED_IDENTITY=system: production with no client id, secret or tenant', () => {
    const c = loadConfig({ ...people, ...bot, MDE_MANAGED_IDENTITY: 'System' });
    expect(c.mode).toBe('production');
    if (c.mode !== 'production') return;
    expect(c.defender.credential).toEqual({ kind: 'managedIdentity', clientId: undefined });
    expect(c.defender.tenantId).toBeUndefined();
    // The bot's tenant still makes the default tenant allow-list.
    expect(c.policy.allowedTenantIds).toEqual([G(2)]);
  });

  it('MDE_MANAGED_IDENTITY_CLIENT_ID: a user-assigned identity; MDE_TENANT_ID still sets the allowed tenant', () => {
    const c = loadConfig({
      ...people,
      ...bot,
      BOT_TENANT_ID: '',
      BOT_TYPE: 'MultiTenant',
      MDE_MANAGED_IDENTITY_CLIENT_ID: G(5),
      MDE_TENANT_ID: G(7),
    });
    if (c.mode !== 'production') throw new Error('expected production');
    expect(c.defender.credential).toEqual({ kind: 'managedIdentity', clientId: G(5) });
    expect(c.policy.allowedTenantIds).toEqual([G(7)]);
  });

  it('exactly one credential kind: each conflict is named', () => {
    expect(
      problems({ ...people, ...bot, MDE_MANAGED_IDENTITY: 'system', MDE_MANAGED_IDENTITY_CLIENT_ID: G(5) }),
    ).toEqual([
      expect.stringMatching(
        /^MDE_MANAGED_IDENTITY: set either it .* or MDE_MANAGED_IDENTITY_CLIENT_ID .* not both$/,
      ),
    ]);
    const mixed = problems({
      ...people,
      ...bot,
      MDE_MANAGED_IDENTITY: 'system',
      MDE_CLIENT_ID: G(1),
      MDE_TENANT_ID: G(2),
      MDE_CLIENT_SECRET: 'not-wanted',
      MDE_CLIENT_CERTIFICATE_PATH: '/x.pem',
    });
    expect(mixed).toEqual([
      'MDE_CLIENT_ID: remove it; MDE_MANAGED_IDENTITY is set and only one Defender credential may be configured',
      'MDE_CLIENT_SECRET: remove it; MDE_MANAGED_IDENTITY is set and only one Defender credential may be configured',
      'MDE_CLIENT_CERTIFICATE_PATH: remove it; MDE_MANAGED_IDENTITY is set and only one Defender credential may be configured',
    ]);
    expect(mixed.join(' ')).not.toContain('not-wanted');
  });

  it('a secret alone does not switch modes, and is still refused next to a managed identity', () => {
    expect(loadConfig({ MDE_CLIENT_SECRET: 'x' }, SANDBOX_DEFAULTS).mode).toBe('sandbox');
    expect(
      problems({ ...people, ...bot, MDE_MANAGED_IDENTITY_CLIENT_ID: G(5), MDE_CLIENT_SECRET: 'x' }),
    ).toEqual([
      expect.stringMatching(/^MDE_CLIENT_SECRET: remove it; MDE_MANAGED_IDENTITY_CLIENT_ID is set/),
    ]);
  });

  it('bad values name their key', () => {
    expect(problems({ ...people, ...bot, MDE_MANAGED_IDENTITY: 'yes' })).toEqual([
      "MDE_MANAGED_IDENTITY: must be 'system' (or use MDE_MANAGED_IDENTITY_CLIENT_ID)",
    ]);
    expect(problems({ ...people, ...bot, MDE_MANAGED_IDENTITY_CLIENT_ID: 'my-identity' })).toEqual([
      expect.stringMatching(/^MDE_MANAGED_IDENTITY_CLIENT_ID: must be a GUID/),
    ]);
  });

  it('client credentials keep their rules and carry their client id', () => {
    const c = loadConfig({
      ...people,
      ...bot,
      MDE_CLIENT_ID: G(1),
      MDE_TENANT_ID: G(2),
      MDE_CLIENT_SECRET: 's',
    });
    if (c.mode !== 'production') throw new Error('expected production');
    expect(c.defender.credential).toEqual({ kind: 'secret', clientId: G(1), secret: 's' });
    expect(problems({ ...people, ...bot, MDE_CLIENT_ID: G(1) })).toEqual([
      'MDE_TENANT_ID: required when MDE_CLIENT_ID is set',
      'MDE_CLIENT_SECRET: set it or MDE_CLIENT_CERTIFICATE_PATH (PEM with private key)',
    ]);
  });
});

describe('telemetry settings', () => {
  const CS = 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://x.example/';

  it('off by default: no exporter', () => {
    expect(loadConfig({}, SANDBOX_DEFAULTS).telemetry).toEqual({
      exporter: 'none',
      serviceName: 'offboarder',
      metricIntervalMs: 60000,
    });
  });

  it('OTLP/HTTP or Azure Monitor, one of them', () => {
    expect(
      loadConfig(
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/', OTEL_METRIC_EXPORT_INTERVAL: '500' },
        SANDBOX_DEFAULTS,
      ).telemetry,
    ).toEqual({
      exporter: 'otlp',
      endpoint: 'http://127.0.0.1:4318',
      serviceName: 'offboarder',
      metricIntervalMs: 500,
    });
    expect(
      loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CS }, SANDBOX_DEFAULTS).telemetry,
    ).toMatchObject({
      exporter: 'azureMonitor',
      connectionString: CS,
    });
    expect(
      problems({
        APPLICATIONINSIGHTS_CONNECTION_STRING: CS,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT: set either it or APPLICATIONINSIGHTS_CONNECTION_STRING, not both',
    ]);
  });

  it('a malformed connection string is refused without echoing it', () => {
    const p = problems({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'secret-looking-value' });
    expect(p).toEqual([
      expect.stringMatching(/^APPLICATIONINSIGHTS_CONNECTION_STRING: must be an Application Insights/),
    ]);
    expect(p.join(' ')).not.toContain('secret-looking-value');
  });
});
