/**
 * Which directory the bot needs: Graph only when some group is configured (in the
 * environment or the policy file); otherwise the listed people alone, with no Graph
 * token ever requested.
 */
import type { Clock } from '../clock';
import type { GraphClient } from '../graph/client';
import { graphDirectory } from './graph';
import { staticDirectory } from './static';
import type { Directory } from './types';

export interface DirectoryChoice {
  /** Every group id configured anywhere; empty means no Graph. */
  groups: readonly string[];
  /** Built only when `groups` is not empty. */
  graph: () => GraphClient;
  clock: Clock;
  cacheMs: number;
}

export function createDirectory(choice: DirectoryChoice): Directory {
  if (!choice.groups.length) return staticDirectory();
  return graphDirectory({ graph: choice.graph(), clock: choice.clock, cacheMs: choice.cacheMs });
}
