export { PolicyFileError } from './policy-file-error';
export { loadPolicyFile } from './load';
export { applied, globToRegExp, groupsIn, matches, ruleFor, summary } from './match';
export { APPROVALS_MAX, APPROVALS_MIN, namePattern, parsePolicy } from './parse';
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
