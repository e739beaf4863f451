import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, loadConfig } from '../../bot/config';
import { SANDBOX_TENANT_ID, sandboxIds } from '../../sandbox/users';
import { SANDBOX_DEFAULTS } from '../../sandbox/runtime';
import { G, problems } from '../support/config';

const production = {
  MDE_CLIENT_ID: G(1),
  MDE_TENANT_ID: G(2),
  MDE_CLIENT_SECRET: 's3cret-value',
  BOT_ID: G(3),
  BOT_PASSWORD: 'bot-pass',
  BOT_TENANT_ID: G(2),
  OFFBOARD_REQUESTERS: G(10),
  OFFBOARD_APPROVERS: `${G(11)}, ${G(12)},${G(13)}`,
};

describe('config', () => {
  it('defaults to sandbox mode with the sandbox roster', () => {
    const c = loadConfig({}, SANDBOX_DEFAULTS);
    expect(c.mode).toBe('sandbox');
    expect(c.port).toBe(3978);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('./data');
    expect(c.bot.unauthenticated).toBe(true);
    expect(c.policy.approvalsRequired).toBe(2);
    expect(c.policy.requestTtlMs).toBe(24 * 3600_000);
    expect(c.policy.requesters).toEqual(sandboxIds('requester'));
    expect(c.policy.approvers).toEqual(sandboxIds('approver'));
    expect(c.policy.allowedTenantIds).toEqual([SANDBOX_TENANT_ID]);
    expect(c.defender.ratePerMinute).toBe(100);
    expect(c.defender.ratePerHour).toBe(1500);
    expect(c.tracking).toEqual({ firstCheckMs: 10_000, maxIntervalMs: 300_000 });
  });

  it('reads production settings and passes Bot Framework settings through', () => {
    const c = loadConfig(
      { ...production, ChannelService: 'https://botframework.azure.us', PORT: '8080' },
      SANDBOX_DEFAULTS,
    );
    expect(c.mode).toBe('production');
    expect(c.host).toBe('0.0.0.0');
    expect(c.port).toBe(8080);
    expect(c.bot.frameworkAuth).toMatchObject({
      ChannelService: 'https://botframework.azure.us',
      MicrosoftAppId: G(3),
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: G(2),
    });
    expect(c.policy.approvers).toHaveLength(3);
    expect(c.policy.allowedTenantIds).toEqual([G(2)]);
  });

  it('names every bad key in one error', () => {
    const p = problems({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      BOT_TYPE: 'Other',
      MDE_API_BASE_URL: 'not a url',
      APPROVALS_REQUIRED: '0',
      OFFBOARD_APPROVERS: 'bob',
      ALLOW_UNAUTHENTICATED_BOT: 'maybe',
    });
    const keys = p.map((s) => s.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'PORT',
        'LOG_LEVEL',
        'BOT_TYPE',
        'MDE_API_BASE_URL',
        'APPROVALS_REQUIRED',
        'OFFBOARD_APPROVERS',
        'ALLOW_UNAUTHENTICATED_BOT',
      ]),
    );
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }, SANDBOX_DEFAULTS)).toThrow(
      /PORT.*LOG_LEVEL|LOG_LEVEL.*PORT/,
    );
  });

  it('checks production requirements together', () => {
    const p = problems({ MDE_CLIENT_ID: G(1) });
    const keys = p.map((s) => s.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'MDE_TENANT_ID',
        'MDE_CLIENT_SECRET',
        'OFFBOARD_REQUESTERS',
        'OFFBOARD_APPROVERS',
        'BOT_ID',
      ]),
    );
  });

  it('refuses production without bot auth unless explicitly allowed', () => {
    const { BOT_ID: _a, BOT_PASSWORD: _b, ...noBot } = production;
    expect(problems(noBot).join()).toMatch(/BOT_ID/);
    expect(
      loadConfig({ ...noBot, ALLOW_UNAUTHENTICATED_BOT: 'true', HOST: '127.0.0.1' }, SANDBOX_DEFAULTS).bot
        .unauthenticated,
    ).toBe(true);
  });

  it('refuses unauthenticated production unless HOST is a loopback address, naming both settings', () => {
    const { BOT_ID: _a, BOT_PASSWORD: _b, ...noBot } = production;
    for (const HOST of [undefined, '0.0.0.0', '10.0.0.5', '::']) {
      const env = { ...noBot, ALLOW_UNAUTHENTICATED_BOT: 'true', ...(HOST ? { HOST } : {}) };
      const p = problems(env).join();
      expect(p).toMatch(/HOST: must be a loopback address/);
      expect(p).toMatch(/ALLOW_UNAUTHENTICATED_BOT/);
    }
    for (const HOST of ['127.0.0.1', '::1', 'localhost'])
      expect(problems({ ...noBot, ALLOW_UNAUTHENTICATED_BOT: 'true', HOST })).toEqual([]);
  });

  it('refuses an approval count the roster can never reach', () => {
    // Three approvers besides the requester reach 3, never 4.
    expect(problems({ ...production, APPROVALS_REQUIRED: '4' }).join()).toMatch(/APPROVALS_REQUIRED/);
  });

  it('checks reachability exactly, per requester', () => {
    // Separate teams: requester R1, approvers A2 and A3: two approvals are always reachable.
    expect(
      problems({ ...production, OFFBOARD_APPROVERS: `${G(12)},${G(13)}`, APPROVALS_REQUIRED: '2' }),
    ).toEqual([]);
    expect(problems({ ...production, APPROVALS_REQUIRED: '3' })).toEqual([]);
    // A requester who is also an approver never counts for their own request.
    const p = problems({
      ...production,
      OFFBOARD_REQUESTERS: G(12),
      OFFBOARD_APPROVERS: `${G(12)},${G(13)}`,
    });
    expect(p.join()).toMatch(/APPROVALS_REQUIRED: 2 approvals can never be reached for requester/);
  });

  it('de-duplicates people case-insensitively before counting', () => {
    const upper = G(12).toUpperCase();
    const p = problems({
      ...production,
      OFFBOARD_APPROVERS: `${G(12)},${upper},${G(13)}`,
      APPROVALS_REQUIRED: '3',
    });
    expect(p.join()).toMatch(/only 2 approver/);
    const c = loadConfig(
      { ...production, OFFBOARD_APPROVERS: `${G(12)},${upper},${G(13)}` },
      SANDBOX_DEFAULTS,
    );
    expect(c.policy.approvers).toEqual([G(12), G(13)]);
  });

  it('refuses http:// for Defender and the sign-in authority outside the sandbox (loopback aside)', () => {
    const p = problems({
      ...production,
      MDE_API_BASE_URL: 'http://api.securitycenter.microsoft.com',
      MDE_AUTHORITY_HOST: 'http://login.microsoftonline.com',
    });
    expect(p).toEqual(
      expect.arrayContaining([
        'MDE_API_BASE_URL: must be an https:// URL outside the sandbox',
        'MDE_AUTHORITY_HOST: must be an https:// URL outside the sandbox',
      ]),
    );
    expect(problems({ ...production, MDE_API_BASE_URL: 'http://127.0.0.1:3979' })).toEqual([]);
    expect(loadConfig({ MDE_API_BASE_URL: 'http://example.test' }, SANDBOX_DEFAULTS).mode).toBe('sandbox');
  });

  it('never echoes a secret in an error', () => {
    const msg = problems({ ...production, MDE_CLIENT_CERTIFICATE_PATH: '/x.pem' }).join();
    expect(msg).toMatch(/MDE_CLIENT_CERTIFICATE_PATH/);
    expect(msg).not.toContain('s3cret-value');
  });

  it('.env.sample documents exactly the settings the code reads', () => {
    const sample = readFileSync(join(__dirname, '../../.env.sample'), 'utf8');
    const documented = [...sample.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_KEYS].sort());
  });
});
