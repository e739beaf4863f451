/**
 * The policy file's rules and how they apply. Reading and parsing one (load.ts, parse.ts,
 * which load the YAML parser) are imported from their own files, only when POLICY_FILE is set.
 */
export { PolicyFileError } from './policy-file-error';
export { applied, globToRegExp, groupsIn, matches, ruleFor, summary } from './match';
export { reachable, staticProblem, type Reachability } from './reachable';
export {
  DEFAULT_RULE_NAME,
  type AppliedRule,
  type DeviceMatch,
  type EnvPolicy,
  type MachineFacts,
  type NamePattern,
  type PolicyRule,
  type PolicyRules,
} from './types';
