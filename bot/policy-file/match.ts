/**
 * Which rule governs a device: the first rule whose every criterion matches, else the
 * environment's settings, named "Default". Pure.
 */
import { normalAudience, type Audience } from '../directory/types';
import {
  DEFAULT_RULE_NAME,
  type AppliedRule,
  type DeviceMatch,
  type EnvPolicy,
  type MachineFacts,
  type PolicyRule,
  type PolicyRules,
} from './types';

export function matches(machine: MachineFacts, m: DeviceMatch): boolean {
  const lc = (s: string | undefined) => (s ?? '').trim().toLowerCase();
  if (m.rbacGroupNames && !m.rbacGroupNames.includes(lc(machine.rbacGroupName))) return false;
  if (m.osPlatforms && !m.osPlatforms.includes(lc(machine.osPlatform))) return false;
  if (m.tags) {
    const tags = new Set((machine.machineTags ?? []).map(lc));
    if (!m.tags.some((t) => tags.has(t))) return false;
  }
  if (m.names) {
    const full = lc(machine.computerDnsName);
    const short = full.split('.')[0]!;
    const hit = m.names.some((p) =>
      p.kind === 'glob' ? p.regex.test(full) || p.regex.test(short) : p.regex.test(full),
    );
    if (!hit) return false;
  }
  return true;
}

export function ruleFor(machine: MachineFacts, rules: PolicyRules | undefined, env: EnvPolicy): AppliedRule {
  const rule = rules?.rules.find((r) => matches(machine, r.match));
  if (!rule) {
    const approvers = normalAudience(env.approvers);
    return {
      name: DEFAULT_RULE_NAME,
      source: 'environment',
      allowed: true,
      requesters: normalAudience(env.requesters),
      approvers,
      approvalsRequired: env.approvalsRequired,
      summary: summary(DEFAULT_RULE_NAME, true, env.approvalsRequired, approvers, {}, true),
    };
  }
  return applied(rule, env);
}

export function applied(rule: PolicyRule, env: EnvPolicy): AppliedRule {
  return {
    name: rule.name,
    source: 'file',
    line: rule.line,
    allowed: rule.allowed,
    requesters: normalAudience(rule.requesters ?? env.requesters),
    approvers: rule.approvers,
    approvalsRequired: rule.approvalsRequired,
    summary: summary(rule.name, rule.allowed, rule.approvalsRequired, rule.approvers, rule.groupNames, false),
  };
}

/** "Servers: 3 approvals from Server Owners"; "Domain controllers: not offboarded from chat". */
export function summary(
  name: string,
  allowed: boolean,
  approvals: number,
  approvers: Audience,
  groupNames: Readonly<Record<string, string>>,
  fromEnvironment: boolean,
): string {
  if (!allowed) return `${name}: cannot be offboarded from chat`;
  const count = `${approvals} approval${approvals === 1 ? '' : 's'}`;
  if (fromEnvironment) return `${name}: ${count} from the configured approvers`;
  const named = approvers.groups.filter((g) => groupNames[g]).map((g) => groupNames[g]!);
  const unnamed = approvers.groups.length - named.length;
  const parts = [
    ...named,
    ...(unnamed ? [`${unnamed} group${unnamed === 1 ? '' : 's'}`] : []),
    ...(approvers.users.length
      ? [`${approvers.users.length} listed ${approvers.users.length === 1 ? 'person' : 'people'}`]
      : []),
  ];
  return `${name}: ${count} from ${parts.join(' or ')}`;
}

/** `*` any text (dots included), `?` one character; anchored, case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** Every group id the rules and the environment name: Graph is needed when this is not empty. */
export function groupsIn(rules: PolicyRules | undefined, env: EnvPolicy): string[] {
  const all = [...env.requesters.groups, ...env.approvers.groups];
  for (const r of rules?.rules ?? []) all.push(...r.approvers.groups, ...(r.requesters?.groups ?? []));
  return [...new Set(all.map((g) => g.toLowerCase()))];
}
