import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { loadConfig } from '../../bot/config';
import { buildAppPackage, placeholderNames, validateManifest } from '../../scripts/app-package';
import {
  bicepFiles as bicepFilesUnder,
  bicepSettings,
  compiledSources,
  dockerStages,
  dotenv,
  stageEnv,
  toolkitLifecycles,
} from '../support/deploy-files';

/**
 * The deployment files cannot run here (no Azure, no registry, no Docker daemon, no
 * Bicep compiler), so this test checks what can be checked offline: the settings the
 * Dockerfile and the Bicep hand to the app against .env.sample and bot/config.ts, the
 * Bicep parameters against infra/README.md, the toolkit's placeholders against
 * env/.env.dev, and a dry run of m365agents.yml's app-package steps with the project's
 * own offline validator.
 */

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const names = (iterable: Iterable<string>) => [...new Set(iterable)].sort();
const bicepFiles = (dir: string) => bicepFilesUnder(root, dir);

const envSample = dotenv(read('.env.sample'));
const docker = dockerStages(read('Dockerfile'));
const runtimeStage = docker.stages.at(-1)!;
const buildStage = docker.stages[0]!;
const imageEnv = stageEnv(runtimeStage);
const containerApp = read('infra/modules/containerapp.bicep');
const settings = bicepFiles('infra').flatMap((f) => bicepSettings(read(f)));
const mainBicep = read('infra/main.bicep');
const bicepOutputs = [...mainBicep.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!);
const envDev = dotenv(read('env/.env.dev'));
const lifecycles = toolkitLifecycles(read('m365agents.yml'));

describe('settings the deployment passes to the app', () => {
  it('come from one place in the Bicep: the container app', () => {
    expect(settings.length).toBeGreaterThan(10);
    expect(bicepSettings(containerApp)).toEqual(settings);
    expect(names(settings.map((s) => s.name))).toHaveLength(settings.length);
  });

  it('are each documented in .env.sample (Dockerfile ENV and Bicep container settings)', () => {
    const passed = names([...imageEnv.keys(), ...settings.map((s) => s.name)]);
    const undocumented = passed.filter((k) => !envSample.has(k));
    expect(undocumented).toEqual([]);
  });

  it('include every setting production requires: the config they make is production with Bot Framework auth on', () => {
    const clientId = '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const people = (n: number) =>
      Array.from({ length: n }, (_, i) => `0000000${i}-1111-4222-8333-444444444444`).join(',');
    // Values Azure fills in at deploy time, by the Bicep expression that produces them.
    const byExpression: Record<string, string> = {
      identityClientId: clientId,
      tenantId,
      'string(port)': '3978',
      logLevel: 'info',
      mdeApiBaseUrl: 'https://api.securitycenter.microsoft.com',
      mdeAuthorityHost: 'https://login.microsoftonline.com',
      mdeScope: 'https://api.securitycenter.microsoft.com/.default',
      offboardRequesters: people(1),
      offboardApprovers: people(3),
      'string(approvalsRequired)': '2',
      allowedTenantIds: tenantId,
      botChannelService: 'https://botframework.azure.us',
      appInsightsConnectionString:
        'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://example.in.applicationinsights.azure.com/',
      "'database-url'":
        'postgres://offboarder:pw@offb-pg.postgres.database.azure.com:5432/offboarder?sslmode=verify-full',
    };
    const env: Record<string, string> = Object.fromEntries(imageEnv);
    const unknown: string[] = [];
    for (const s of settings) {
      const literal = /^'([^']*)'$/.exec(s.expression);
      const value = s.kind === 'value' && literal ? literal[1] : byExpression[s.expression];
      if (value === undefined) unknown.push(`${s.name}: ${s.expression}`);
      else env[s.name] = value;
    }
    expect(unknown).toEqual([]);

    const config = loadConfig(env);
    expect(config.mode).toBe('production');
    expect(config.bot).toMatchObject({ appId: clientId, type: 'UserAssignedMsi', unauthenticated: false });
    expect(config.bot.frameworkAuth).toMatchObject({
      MicrosoftAppId: clientId,
      MicrosoftAppType: 'UserAssignedMsi',
      MicrosoftAppTenantId: tenantId,
    });
    expect(config.dataDir).toBe(imageEnv.get('DATA_DIR'));
  });

  it('make the managed identity both the bot and the Defender caller, secrets only from Key Vault', () => {
    const byName = new Map(settings.map((s) => [s.name, s]));
    expect(byName.get('BOT_TYPE')?.expression).toBe("'UserAssignedMsi'");
    expect(byName.get('BOT_ID')?.expression).toBe('identityClientId');
    expect(byName.get('MDE_MANAGED_IDENTITY_CLIENT_ID')?.expression).toBe('identityClientId');
    expect(byName.get('BOT_TENANT_ID')?.expression).toBe(byName.get('MDE_TENANT_ID')?.expression);
    // No password or client secret setting at all.
    expect(settings.map((s) => s.name)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/PASSWORD|SECRET|CERTIFICATE/)]),
    );
    // Every secret reference points at a Key Vault secret read with the identity.
    const refs = settings.filter((s) => s.kind === 'secretRef').map((s) => s.expression);
    expect(refs).toEqual(["'database-url'"]);
    expect(containerApp).toMatch(
      /name: 'database-url'\s+keyVaultUrl: databaseUrlSecretUri\s+identity: identityResourceId/,
    );
    const bot = read('infra/modules/bot.bicep');
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppId: identityClientId/);
    expect(mainBicep).toMatch(/identityClientId: identity\.outputs\.clientId/);
  });

  it('listen where ingress, probes and the image expect: one port, /healthz and /readyz', () => {
    const port = /^var port = (\d+)$/m.exec(containerApp)?.[1];
    expect(port).toBe(imageEnv.get('PORT'));
    expect(runtimeStage.lines).toContain(`EXPOSE ${port}`);
    expect(containerApp).toMatch(/targetPort: port/);
    expect(containerApp).toMatch(/type: 'Liveness'\s+httpGet: \{ path: '\/healthz', port: port \}/);
    expect(containerApp).toMatch(/type: 'Readiness'\s+httpGet: \{ path: '\/readyz', port: port \}/);
  });
});

describe('Dockerfile', () => {
  it('builds on Debian Node 20 and runs on its slim variant', () => {
    expect(docker.stages.map((s) => s.from)).toEqual(['node:20-bookworm', 'node:20-bookworm-slim']);
    expect(buildStage.name).toBe('build');
  });

  it('compiles native code only in the build stage; the runtime stage copies the result', () => {
    expect(buildStage.lines).toContain('RUN npm ci --no-audit --no-fund');
    const runtimeRuns = runtimeStage.lines.filter((l) => /^RUN\s/i.test(l)).join('\n');
    expect(runtimeRuns).not.toMatch(/npm (ci|install|rebuild)|node-gyp|apt-get|build-essential|g\+\+|python/);
    expect(runtimeStage.lines).toEqual(
      expect.arrayContaining([
        'COPY --from=build /app/node_modules ./node_modules',
        'COPY --from=build /app/dist ./dist',
      ]),
    );
  });

  it('runs node dist/index.js as a non-root user that can write only DATA_DIR', () => {
    const users = runtimeStage.lines.filter((l) => /^USER\s/i.test(l));
    expect(users).toHaveLength(1);
    const user = users[0]!.split(/\s+/)[1]!;
    expect(user).not.toMatch(/^(root|0)$/);
    expect(runtimeStage.lines.at(-1)).toBe('CMD ["node", "dist/index.js"]');
    const dataDir = imageEnv.get('DATA_DIR')!;
    expect(dataDir).toMatch(/^\//);
    // The only folder handed to that user is DATA_DIR; the world-writable temp folders are closed.
    const chowns = [...runtimeStage.lines.join('\n').matchAll(/chown\s+(\S+)\s+(\S+)/g)];
    expect(chowns.map((m) => [m[1], m[2]])).toEqual([[`${user}:${user}`, dataDir]]);
    expect(runtimeStage.lines.join('\n')).toMatch(/chmod 0755 \/tmp \/var\/tmp/);
    expect(runtimeStage.lines.join('\n')).toMatch(/--no-create-home --home-dir \/nonexistent/);
    expect(runtimeStage.lines.filter((l) => /^COPY/.test(l)).join('\n')).not.toMatch(/--chown/);
  });

  it('checks its health on /healthz', () => {
    const health = runtimeStage.lines.find((l) => /^HEALTHCHECK\s/i.test(l));
    expect(health).toMatch(/CMD \["node", "-e", ".*\/healthz.*"\]/);
  });

  it('copies every source file that tsconfig.build.json compiles, and .dockerignore lets them through', () => {
    const tops = names([...compiledSources(root)].map((f) => f.slice(root.length + 1).split('/')[0]!));
    expect(tops).toEqual(expect.arrayContaining(['bot', 'index.ts']));
    const copied = buildStage.lines
      .filter((l) => /^COPY\s/.test(l) && !l.includes('--from'))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    const allowed = read('.dockerignore')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    expect(tops.filter((t) => !copied.includes(t))).toEqual([]);
    expect(tops.filter((t) => !allowed.includes(t))).toEqual([]);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignore = read('.dockerignore').split('\n');
    expect(ignore[ignore.findIndex((l) => !l.startsWith('#'))]).toBe('*');
    expect(ignore).toEqual(expect.arrayContaining(['**/.env', '**/.env.*', '**/*.pem', '**/node_modules']));
  });
});

describe('infra/', () => {
  const params = [...mainBicep.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=)?/gm)].map((m) => ({
    name: m[1]!,
    required: !m[3],
  }));
  const parameterFile = JSON.parse(read('infra/main.parameters.json')) as {
    parameters: Record<string, { value: unknown }>;
  };

  it('documents every parameter of main.bicep in infra/README.md', () => {
    const readme = read('infra/README.md');
    expect(params.length).toBeGreaterThan(5);
    expect(params.filter((p) => !readme.includes(`| \`${p.name}\``)).map((p) => p.name)).toEqual([]);
  });

  it('main.parameters.json sets every required parameter and only parameters that exist', () => {
    const given = Object.keys(parameterFile.parameters);
    expect(given.filter((g) => !params.some((p) => p.name === g))).toEqual([]);
    expect(params.filter((p) => p.required && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('references every module file it ships, and every module exists', () => {
    const used = [...mainBicep.matchAll(/^module \w+ '([^']+)'/gm)].map((m) => `infra/${m[1]!}`);
    expect(names(used)).toEqual(names(bicepFiles('infra').filter((f) => f !== join('infra', 'main.bicep'))));
  });

  it('switches Web Chat and Direct Line off and Teams on', () => {
    const bot = read('infra/modules/bot.bicep');
    expect(bot).toMatch(/channelName: 'MsTeamsChannel'\s+properties: \{\s+isEnabled: true/);
    for (const channel of ['WebChatChannel', 'DirectLineChannel'])
      expect(bot).toMatch(new RegExp(`channelName: '${channel}'[\\s\\S]*?isEnabled: false`));
    expect(bot).toMatch(/disableLocalAuth: true/);
  });
});

describe('m365agents.yml', () => {
  const provision = lifecycles.get('provision') ?? [];

  it('has provision, deploy and publish with the toolkit actions in order', () => {
    expect(provision.map((s) => s.uses)).toEqual([
      'teamsApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(lifecycles.get('deploy')?.map((s) => s.uses)).toEqual(['script', 'arm/deploy']);
    expect(lifecycles.get('publish')?.map((s) => s.uses)).toEqual([
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
      'teamsApp/publishAppPackage',
    ]);
    for (const arm of [...provision, ...(lifecycles.get('deploy') ?? [])].filter(
      (s) => s.uses === 'arm/deploy',
    )) {
      expect(existsSync(join(root, arm.fields.get('path')!))).toBe(true);
      expect(existsSync(join(root, arm.fields.get('parameters')!))).toBe(true);
    }
  });

  it('every ${{NAME}} it or the parameters file uses is in env/.env.dev or a SECRET_ of env/.env.dev.user', () => {
    const used = placeholderNames([read('m365agents.yml'), read('infra/main.parameters.json')]);
    expect(used.filter((n) => !envDev.has(n) && !n.startsWith('SECRET_'))).toEqual([]);
  });

  it('env/.env.dev lists every output arm/deploy writes, and holds no secret', () => {
    expect(bicepOutputs.filter((o) => !envDev.has(o))).toEqual([]);
    expect([...envDev.keys()].filter((k) => /SECRET|PASSWORD/.test(k))).toEqual([]);
    expect(read('.gitignore').split('\n')).toContain('env/.env.*.user');
  });

  it('dry run of the provision app-package steps: same manifest, same zip path, valid offline', async () => {
    const step = (uses: string) => provision.find((s) => s.uses === uses)!.fields;
    const manifestPath = step('teamsApp/zipAppPackage').get('manifestPath')!;
    const zipPath = step('teamsApp/zipAppPackage').get('outputZipPath')!;
    expect(step('teamsApp/validateManifest').get('manifestPath')).toBe(manifestPath);
    expect(step('teamsApp/validateAppPackage').get('appPackagePath')).toBe(zipPath);
    expect(step('teamsApp/update').get('appPackagePath')).toBe(zipPath);
    expect(basename(manifestPath)).toBe('manifest.json');

    // What provision has written by then: TEAMS_APP_ID (teamsApp/create), the Bicep outputs.
    expect(step('teamsApp/create').get('teamsAppId')).toBe('TEAMS_APP_ID');
    const manifestVars = placeholderNames(JSON.parse(read(manifestPath)));
    expect(manifestVars.filter((v) => v !== 'TEAMS_APP_ID' && !bicepOutputs.includes(v))).toEqual([]);
    const env: Record<string, string> = {
      ...Object.fromEntries(envDev),
      TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      BOT_ID: '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
      BOT_DOMAIN: 'offbdev-app.kindhill-1a2b3c4d.westeurope.azurecontainerapps.io',
    };
    const relativeZip = zipPath.replace(/\$\{\{\s*(\w+)\s*\}\}/g, (_, n: string) => env[n] ?? '');
    expect(relativeZip).toBe('./appPackage/build/appPackage.dev.zip');

    const dir = mkdtempSync(join(tmpdir(), 'toolkit-dry-run-'));
    try {
      const outFile = join(dir, relativeZip);
      const result = await buildAppPackage({
        appPackageDir: join(root, dirname(manifestPath)),
        outFile,
        env,
      });
      expect(existsSync(outFile)).toBe(true);
      expect(validateManifest(result.manifest)).toEqual([]);
      expect(result.manifest).toMatchObject({
        id: env.TEAMS_APP_ID,
        bots: [expect.objectContaining({ botId: env.BOT_ID })],
        validDomains: [env.BOT_DOMAIN],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
