import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { SANDBOX_TENANT_ID, sandboxIds } from '../../sandbox/users';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { IDP_CLIENT_ID, IDP_SCOPE, IDP_TENANT, startIdp, type Idp } from './idp';
import type { Teams } from './teams-driver';

/**
 * The bot in production mode (MDE_CLIENT_ID set: msal-node client credentials) as a child
 * process: tokens from a local HTTPS IdP, Defender calls to the simulator, which accepts
 * only tokens that IdP issued. Bot Framework authentication is off
 * (ALLOW_UNAUTHENTICATED_BOT=true, no BOT_ID) so the test can post activities; the
 * people are the sandbox's, named explicitly as requesters and approvers.
 */
export type Credential = { secret: string } | { certPem: string; keyPem: string };

export interface ProductionWorld {
  idp: Idp;
  sim: DefenderSimulator;
  connector: FakeConnector;
  bot: ChildBot;
  teams: Teams;
  /** Every line the bot printed, across restarts. */
  logs: string[];
  dataDir: string;
  close(): Promise<void>;
}

export async function startProductionWorld(o: {
  credential: Credential;
  logLevel?: string;
  /** Below 300 s msal asks the IdP before every Defender call (its renewal window). */
  tokenLifetimeSeconds?: number;
}): Promise<ProductionWorld> {
  const certPem = 'certPem' in o.credential ? o.credential.certPem : undefined;
  const idp = await startIdp('secret' in o.credential ? { secret: o.credential.secret } : { certPem });
  idp.expiresIn = o.tokenLifetimeSeconds ?? 3599;
  const sim = await startDefenderSimulator({ actionSeconds: 1, acceptToken: (t) => idp.issued.includes(t) });
  const connector = await startFakeConnector();
  const dir = mkdtempSync(join(tmpdir(), 'offboarder-prod-'));
  const caFile = join(dir, 'idp-ca.pem');
  writeFileSync(caFile, idp.ca);
  const credentialEnv: Record<string, string> = {};
  if ('secret' in o.credential) credentialEnv.MDE_CLIENT_SECRET = o.credential.secret;
  else {
    const pemFile = join(dir, 'client.pem');
    writeFileSync(pemFile, `${o.credential.certPem}\n${o.credential.keyPem}`, { mode: 0o600 });
    credentialEnv.MDE_CLIENT_CERTIFICATE_PATH = pemFile;
  }
  const logs: string[] = [];
  const dataDir = join(dir, 'data');
  const bot = await startChildBot({
    logs,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: o.logLevel ?? 'debug',
      MDE_TENANT_ID: IDP_TENANT,
      MDE_CLIENT_ID: IDP_CLIENT_ID,
      ...credentialEnv,
      MDE_API_BASE_URL: sim.url,
      MDE_AUTHORITY_HOST: idp.url,
      MDE_SCOPE: IDP_SCOPE,
      MDE_REQUEST_TIMEOUT_SECONDS: '5',
      ALLOW_UNAUTHENTICATED_BOT: 'true',
      OFFBOARD_REQUESTERS: sandboxIds('requester').join(','),
      OFFBOARD_APPROVERS: sandboxIds('approver').join(','),
      ALLOWED_TENANT_IDS: SANDBOX_TENANT_ID,
      TRACKING_FIRST_CHECK_SECONDS: '1',
      TRACKING_MAX_INTERVAL_SECONDS: '1',
      // The IdP's self-signed certificate, trusted the way an operator would trust a private CA.
      NODE_EXTRA_CA_CERTS: caFile,
    },
  });
  return {
    idp,
    sim,
    connector,
    bot,
    teams: { connector, serviceUrl: connector.url, botUrl: () => bot.url },
    logs,
    dataDir,
    async close() {
      await bot.stop().catch(() => undefined);
      await killAllChildBots();
      await connector.close();
      await sim.close();
      await idp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
