/**
 * Start-up of the directory side (docs/directory.md, "Wiring", step 1): the policy file
 * read and validated (a PolicyFileError stops the start), and Microsoft Graph built only
 * when some group is configured, in the environment or the file.
 */
import type { Clock, Scheduler } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { TokenProvider } from '../defender';
import { createDirectory } from '../directory';
import { createGraphClient } from '../graph';
import { groupsIn, type EnvPolicy } from '../policy-file';
import type { DirectoryPolicy } from './ports';

export interface GraphTarget {
  baseUrl: string;
  tokenProvider: TokenProvider;
}

export interface DirectorySetupOptions {
  logger: Logger;
  clock: Clock;
  scheduler: Scheduler;
  /** Called only when some group is configured; undefined there is a start-up error. */
  graphTarget: () => GraphTarget | undefined;
}

export async function setUpDirectory(config: Config, o: DirectorySetupOptions): Promise<DirectoryPolicy> {
  const env: EnvPolicy = {
    requesters: { users: config.policy.requesters, groups: config.directory.requesterGroups },
    approvers: { users: config.policy.approvers, groups: config.directory.approverGroups },
    approvalsRequired: config.policy.approvalsRequired,
  };
  // The YAML parser is loaded only when there is a file to read.
  const rules = config.policyFile
    ? (await import('../policy-file/load')).loadPolicyFile(config.policyFile, env)
    : undefined;
  if (rules) o.logger.info({ file: rules.file, rules: rules.rules.length }, 'policy file loaded');
  const directory = createDirectory({
    groups: groupsIn(rules, env),
    graph: () => {
      const target = o.graphTarget();
      if (!target) throw new Error('Entra groups are configured but there is no Microsoft Graph to ask.');
      return createGraphClient({ ...target, logger: o.logger, clock: o.clock, scheduler: o.scheduler });
    },
    clock: o.clock,
    cacheMs: config.directory.groupCacheMs,
  });
  return { directory, rules, env };
}
