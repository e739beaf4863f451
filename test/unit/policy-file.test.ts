import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicyFile } from '../../bot/policy-file/load';
import { namePattern, parsePolicy } from '../../bot/policy-file/parse';
import {
  groupsIn,
  matches,
  PolicyFileError,
  reachable,
  ruleFor,
  type EnvPolicy,
  type MachineFacts,
  type PolicyRules,
} from '../../bot/policy-file';

/** POLICY_FILE: parsing, every validation error with its line, first-match rules, reachability. */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SERVER_OWNERS = '00000000-0000-4000-8000-0000000000b2';
const env: EnvPolicy = {
  requesters: { users: [id(1), id(2)], groups: [] },
  approvers: { users: [id(1), id(2), id(3), id(4)], groups: [] },
  approvalsRequired: 2,
};
const device = (over: Partial<MachineFacts>): MachineFacts => ({
  computerDnsName: 'ws-001.contoso.local',
  osPlatform: 'Windows11',
  machineTags: [],
  rbacGroupName: 'Workstations',
  ...over,
});

function problemsOf(text: string, withEnv: EnvPolicy | undefined = env): string[] {
  try {
    parsePolicy(text, 'policy.yaml', withEnv);
  } catch (e) {
    if (e instanceof PolicyFileError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a PolicyFileError');
}

describe('policy.example.yaml', () => {
  const rules = parsePolicy(readFileSync(join(__dirname, '../../policy.example.yaml'), 'utf8'), 'ex', env);

  it('parses into its three rules, in order, with their lines', () => {
    expect(rules.rules.map((r) => [r.name, r.allowed, r.approvalsRequired])).toEqual([
      ['Domain controllers', false, 0],
      ['Domain controllers by name', false, 0],
      ['Servers', true, 3],
    ]);
    expect(rules.rules.every((r) => r.line > 20)).toBe(true);
    expect(rules.rules[2]!.approvers).toEqual({ users: [], groups: [SERVER_OWNERS] });
    expect(rules.rules[2]!.groupNames).toEqual({ [SERVER_OWNERS]: 'Server Owners' });
  });

  it('never lets a domain controller be offboarded; the first matching rule wins', () => {
    const dc = device({
      computerDnsName: 'srv-dc-01.contoso.local',
      osPlatform: 'WindowsServer2019',
      machineTags: ['DomainController'],
      rbacGroupName: 'Servers',
    });
    expect(ruleFor(dc, rules, env)).toMatchObject({
      name: 'Domain controllers',
      allowed: false,
      summary: 'Domain controllers: cannot be offboarded from chat',
    });
    const untagged = { ...dc, machineTags: [] };
    expect(ruleFor(untagged, rules, env).name).toBe('Domain controllers by name');
  });

  it('asks three Server Owners about a server, and applies the environment to a laptop', () => {
    const sql = device({ computerDnsName: 'srv-sql-01.contoso.local', osPlatform: 'windowsserver2022' });
    expect(ruleFor(sql, rules, env)).toEqual({
      name: 'Servers',
      source: 'file',
      line: rules.rules[2]!.line,
      allowed: true,
      requesters: env.requesters,
      approvers: { users: [], groups: [SERVER_OWNERS] },
      approvalsRequired: 3,
      summary: 'Servers: 3 approvals from Server Owners',
    });
    expect(ruleFor(device({}), rules, env)).toEqual({
      name: 'Default',
      source: 'environment',
      allowed: true,
      requesters: env.requesters,
      approvers: env.approvers,
      approvalsRequired: 2,
      summary: 'Default: 2 approvals from the configured approvers',
    });
    expect(ruleFor(sql, undefined, env).name).toBe('Default');
  });
});

describe('matching', () => {
  const rule = (match: string) =>
    parsePolicy(
      `rules:\n  - name: R\n    match:\n${match}\n    approvers: { users: ['${id(3)}', '${id(4)}', '${id(5)}'] }\n    approvalsRequired: 1\n`,
      'p',
    ).rules[0]!.match;

  it('matches the device group exactly, ignoring case', () => {
    const m = rule('      rbacGroupName: servers');
    expect(matches(device({ rbacGroupName: 'Servers' }), m)).toBe(true);
    expect(matches(device({ rbacGroupName: 'Linux servers' }), m)).toBe(false);
    expect(matches(device({ rbacGroupName: undefined }), m)).toBe(false);
  });

  it('matches any of the tags and any of the platforms', () => {
    const m = rule('      tags: [Tier0, PAW]\n      osPlatform: [Windows10, windows11]');
    expect(matches(device({ machineTags: ['x', 'paw'] }), m)).toBe(true);
    expect(matches(device({ machineTags: ['x'] }), m)).toBe(false);
    expect(matches(device({ machineTags: ['Tier0'], osPlatform: 'macOS' }), m)).toBe(false);
    expect(matches(device({ machineTags: ['Tier0'], osPlatform: undefined }), m)).toBe(false);
  });

  it('matches a glob against the full name or its first label, a regex against the full name', () => {
    const glob = rule("      name: 'dc-*'");
    expect(matches(device({ computerDnsName: 'dc-01.contoso.local' }), glob)).toBe(true);
    expect(matches(device({ computerDnsName: 'DC-02' }), glob)).toBe(true);
    expect(matches(device({ computerDnsName: 'srv-dc-01.contoso.local' }), glob)).toBe(false);
    const q = rule("      name: 'srv-??-01.contoso.local'");
    expect(matches(device({ computerDnsName: 'srv-dc-01.contoso.local' }), q)).toBe(true);
    expect(matches(device({ computerDnsName: 'srv-sql-01.contoso.local' }), q)).toBe(false);
    const re = rule("      name: '/^dc\\d+\\./'");
    expect(matches(device({ computerDnsName: 'DC12.contoso.local' }), re)).toBe(true);
    expect(matches(device({ computerDnsName: 'dc12' }), re)).toBe(false);
  });

  it('treats glob characters other than * and ? literally', () => {
    const m = rule("      name: 'a.b+(c)'");
    expect(matches(device({ computerDnsName: 'a.b+(c)' }), m)).toBe(true);
    expect(matches(device({ computerDnsName: 'aXbb(c)' }), m)).toBe(false);
  });

  it('needs every criterion of a rule', () => {
    const m = rule("      rbacGroupName: Servers\n      name: 'srv-sql-*'");
    expect(matches(device({ rbacGroupName: 'Servers', computerDnsName: 'srv-sql-01' }), m)).toBe(true);
    expect(matches(device({ rbacGroupName: 'Servers', computerDnsName: 'srv-web-01' }), m)).toBe(false);
  });

  it('names a group without a display name by count, and listed people', () => {
    const rules: PolicyRules = parsePolicy(
      `rules:\n  - name: Finance\n    match: { rbacGroupName: Finance }\n    approvers:\n      users: ['${id(3)}']\n      groups: ['${id(900)}']\n    approvalsRequired: 1\n`,
      'p',
    );
    expect(ruleFor(device({ rbacGroupName: 'finance' }), rules, env).summary).toBe(
      'Finance: 1 approval from 1 group or 1 listed person',
    );
  });
});

describe('validation', () => {
  it('names every problem at once, each with its line and field', () => {
    const text = [
      'rules:', // 1
      '  - name: Servers', // 2
      '    match:', // 3
      '      osPlatform: WindowsServer2022', // 4
      '      owner: x', // 5
      '    approvers:', // 6
      "      users: ['not-a-guid']", // 7
      '      groups:', // 8
      '        - name: Server Owners', // 9
      '    approvalRequired: 3', // 10
      '  - name: Laptops', // 11
      '    match: {}', // 12
      '    approvers: { groups: [] }', // 13
      "    approvalsRequired: '2'", // 14
      '  - match:', // 15
      "      name: '/dc(/'", // 16
      '    allowed: no', // 17
      '  - name: servers', // 18
      '    match: { tags: [DC] }', // 19
      '    allowed: false', // 20
      '    approvalsRequired: 2', // 21
      'extra: 1', // 22
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'policy.yaml:2: rules[0] (Servers).approvalsRequired: is required (1 to 10)',
      'policy.yaml:5: rules[0] (Servers).match: "owner" is not a known field (known: rbacGroupName, tags, osPlatform, name)',
      'policy.yaml:7: rules[0] (Servers).approvers.users[0]: must be an Entra object id (a GUID), not "not-a-guid"',
      'policy.yaml:9: rules[0] (Servers).approvers.groups[0].id: is required',
      'policy.yaml:10: rules[0]: "approvalRequired" is not a known field (known: name, match, allowed, approvers, requesters, approvalsRequired)',
      "policy.yaml:12: rules[1] (Laptops).match: give at least one of rbacGroupName, tags, osPlatform, name (the environment's settings cover every other device)",
      'policy.yaml:13: rules[1] (Laptops).approvers: must list at least one of users or groups',
      'policy.yaml:14: rules[1] (Laptops).approvalsRequired: must be a whole number from 1 to 10, not "2"',
      'policy.yaml:15: rules[2].name: is required',
      'policy.yaml:15: rules[2].approvers: is required (users and/or groups) unless allowed is false',
      'policy.yaml:15: rules[2].approvalsRequired: is required (1 to 10)',
      expect.stringMatching(/^policy\.yaml:16: rules\[2\]\.match\.name: is not a valid regular expression/),
      'policy.yaml:17: rules[2].allowed: must be true or false, not "no"',
      'policy.yaml:18: rules[3] (servers).name: is also the name of the rule at line 2',
      'policy.yaml:21: rules[3] (servers).approvalsRequired: has no meaning in a rule with allowed: false; remove it',
      'policy.yaml:22: (file): "extra" is not a known field (known: rules)',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their lines', () => {
    expect(problemsOf('rules:\n  - name: a\n    name: b\n')).toEqual([
      'policy.yaml:3: (syntax): Map keys must be unique',
    ]);
    const broken = problemsOf('rules:\n  - name: [a\n');
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0]).toMatch(/^policy\.yaml:\d+: \(syntax\): /);
  });

  it('wants a list of rules', () => {
    expect(problemsOf('')).toEqual(['policy.yaml:1: rules: is required: a list of rules']);
    expect(problemsOf('rules: yes\n')).toEqual(['policy.yaml:1: rules: must be a list of rules, not "yes"']);
    expect(problemsOf('- a\n')).toEqual(['policy.yaml:1: (file): must be a map with rules, not a list']);
    expect(parsePolicy('rules: []\n', 'p').rules).toEqual([]);
  });

  it('refuses YAML aliases and regex flags other than i', () => {
    const text = `rules:\n  - name: A\n    match: { name: '/x/g' }\n    approvers: { users: ['${id(3)}', '${id(4)}'] }\n    approvalsRequired: &n 1\n  - name: B\n    match: { tags: [x] }\n    approvers: { users: ['${id(3)}', '${id(4)}'] }\n    approvalsRequired: *n\n`;
    expect(problemsOf(text)).toEqual([
      'policy.yaml:3: rules[0] (A).match.name: a regular expression may only have the flag i',
      'policy.yaml:9: rules[1] (B).approvalsRequired: must be a whole number from 1 to 10; aliases (*name) are not supported',
    ]);
    expect(namePattern('/unterminated')).toMatch(/must end with \//);
  });

  it('refuses a rule whose listed approvers can never reach approvalsRequired', () => {
    const rule = (users: number[], n: number, requesters = '') =>
      `rules:\n  - name: R\n    match: { tags: [x] }\n    approvers: { users: [${users.map((u) => `'${id(u)}'`).join(', ')}] }\n${requesters}    approvalsRequired: ${n}\n`;
    expect(problemsOf(rule([3, 4], 3))).toEqual([
      'policy.yaml:5: rules[0] (R).approvalsRequired: 3 approvals can never be reached with 2 approver(s) listed',
    ]);
    // The environment's requester 1 is also an approver here, and never counts for their own request.
    expect(problemsOf(rule([1, 3], 2))[0]).toMatch(
      /^policy\.yaml:5: .*for a requester who is also one of the 2 listed approvers .* list at least 3$/,
    );
    expect(parsePolicy(rule([1, 3], 2, `    requesters: { users: ['${id(9)}'] }\n`), 'p').rules).toHaveLength(
      1,
    );
    // Groups are counted when a request opens, not at start.
    const grouped = `rules:\n  - name: R\n    match: { tags: [x] }\n    approvers: { groups: ['${id(900)}'] }\n    approvalsRequired: 5\n`;
    expect(parsePolicy(grouped, 'p', env).rules).toHaveLength(1);
  });
});

describe('reachable', () => {
  const rule = {
    name: 'Servers',
    allowed: true,
    approvers: { users: [id(1), id(3)], groups: [SERVER_OWNERS] },
    approvalsRequired: 3,
  };

  it('counts approvers other than the requester, groups expanded', () => {
    expect(reachable({ ...rule, approvalsRequired: 1 }, id(1))).toEqual({ ok: true });
    expect(reachable(rule, id(1))).toEqual({ ok: 'needsGroups', groups: [SERVER_OWNERS] });
    const members = new Map([[SERVER_OWNERS, [id(1), id(4), id(6)]]]);
    expect(reachable(rule, id(1), members)).toEqual({ ok: true });
    expect(reachable(rule, id(3), new Map([[SERVER_OWNERS, [id(3), id(1)]]]))).toMatchObject({
      ok: false,
      key: 'errors.ruleUnreachable',
      message:
        'This request could never be approved: the rule "Servers" needs 3 approvals from people other than ' +
        'you, and only 1 other person is an approver. Ask your security lead.',
    });
  });

  it('refuses a rule that forbids offboarding from chat', () => {
    expect(reachable({ ...rule, allowed: false }, id(1))).toMatchObject({
      ok: false,
      key: 'errors.ruleForbids',
      message: 'Devices under the rule "Servers" cannot be offboarded from chat.',
    });
  });
});

describe('loadPolicyFile', () => {
  it('reads the file, and names it when it is missing or bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, readFileSync(join(__dirname, '../../policy.example.yaml')));
    expect(loadPolicyFile(good, env).rules).toHaveLength(3);
    const missing = join(dir, 'nope.yaml');
    expect(() => loadPolicyFile(missing)).toThrow(`${missing}: cannot read POLICY_FILE (no such file)`);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'rules:\n  - name: x\n');
    expect(() => loadPolicyFile(bad)).toThrow(
      new RegExp(
        `^Invalid policy file ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(3\\): ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: rules\\[0\\] \\(x\\)\\.match: is required`,
      ),
    );
  });
});

describe('groupsIn', () => {
  it('lists every group the rules and the environment name, once', () => {
    const rules = parsePolicy(readFileSync(join(__dirname, '../../policy.example.yaml'), 'utf8'), 'ex');
    expect(groupsIn(rules, env)).toEqual([SERVER_OWNERS]);
    const withEnv = { ...env, approvers: { users: [], groups: [SERVER_OWNERS.toUpperCase(), id(901)] } };
    expect(groupsIn(rules, withEnv)).toEqual([SERVER_OWNERS, id(901)]);
    expect(groupsIn(undefined, env)).toEqual([]);
  });
});
