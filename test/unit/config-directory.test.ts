import { loadConfig } from '../../bot/config';
import { SANDBOX_DEFAULTS } from '../../sandbox/runtime';
import { G, problems } from '../support/config';

/** The Entra group and policy-file settings (issue #13): defaults, validation, cross-field rules. */

const production = {
  MDE_CLIENT_ID: G(1),
  MDE_TENANT_ID: G(2),
  MDE_CLIENT_SECRET: 's3cret-value',
  BOT_ID: G(3),
  BOT_PASSWORD: 'bot-pass',
  BOT_TENANT_ID: G(2),
  OFFBOARD_REQUESTERS: G(10),
  OFFBOARD_APPROVERS: `${G(11)},${G(12)}`,
};

describe('directory settings', () => {
  it('defaults to the public Graph with a five-minute display cache and no policy file', () => {
    const c = loadConfig(production, SANDBOX_DEFAULTS);
    expect(c.directory).toEqual({
      requesterGroups: [],
      approverGroups: [],
      graphBaseUrl: 'https://graph.microsoft.com',
      graphScope: 'https://graph.microsoft.com/.default',
      groupCacheMs: 300_000,
    });
    expect(c.policyFile).toBeUndefined();
  });

  it('reads group lists, a sovereign Graph host with its scope, the cache and the policy file', () => {
    const c = loadConfig(
      {
        ...production,
        OFFBOARD_REQUESTER_GROUPS: ` ${G(20).toUpperCase()} `,
        OFFBOARD_APPROVER_GROUPS: `${G(21)},${G(22)},${G(21)}`,
        GRAPH_BASE_URL: 'https://graph.microsoft.us/',
        GROUP_CACHE_SECONDS: '0',
        POLICY_FILE: './policy.yaml',
      },
      SANDBOX_DEFAULTS,
    );
    expect(c.directory).toEqual({
      requesterGroups: [G(20)],
      approverGroups: [G(21), G(22)],
      graphBaseUrl: 'https://graph.microsoft.us',
      graphScope: 'https://graph.microsoft.us/.default',
      groupCacheMs: 0,
    });
    expect(c.policyFile).toBe('./policy.yaml');
    expect(
      loadConfig({ ...production, GRAPH_SCOPE: 'https://x.example/.default' }).directory.graphScope,
    ).toBe('https://x.example/.default');
  });

  it('names bad group ids, a bad cache and clear-text Graph in production', () => {
    const p = problems({
      ...production,
      OFFBOARD_APPROVER_GROUPS: 'Server Owners',
      GROUP_CACHE_SECONDS: '-1',
    });
    expect(p.map((s) => s.split(':')[0]).sort()).toEqual(['GROUP_CACHE_SECONDS', 'OFFBOARD_APPROVER_GROUPS']);
    expect(problems({ ...production, GRAPH_BASE_URL: 'http://graph.example' })).toEqual([
      'GRAPH_BASE_URL: must be an https:// URL outside the sandbox',
    ]);
    expect(loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:3980' }, SANDBOX_DEFAULTS).mode).toBe('sandbox');
  });

  it('lets groups stand in for the people lists in production', () => {
    const c = loadConfig(
      {
        ...production,
        OFFBOARD_REQUESTERS: '',
        OFFBOARD_APPROVERS: '',
        OFFBOARD_REQUESTER_GROUPS: G(20),
        OFFBOARD_APPROVER_GROUPS: G(21),
      },
      SANDBOX_DEFAULTS,
    );
    expect(c.policy.approvers).toEqual([]);
    expect(c.directory.approverGroups).toEqual([G(21)]);
    expect(problems({ ...production, OFFBOARD_REQUESTERS: '', OFFBOARD_APPROVERS: '' })).toEqual([
      'OFFBOARD_REQUESTERS: required in production (comma-separated Entra object ids) unless OFFBOARD_REQUESTER_GROUPS is set',
      'OFFBOARD_APPROVERS: required in production (comma-separated Entra object ids) unless OFFBOARD_APPROVER_GROUPS is set',
    ]);
  });

  it('leaves reachability to request time when approver groups may add people', () => {
    const one = { ...production, OFFBOARD_APPROVERS: G(11), APPROVALS_REQUIRED: '2' };
    expect(problems(one)).toEqual([
      expect.stringMatching(/^APPROVALS_REQUIRED: 2 approvals can never be reached/),
    ]);
    expect(problems({ ...one, OFFBOARD_APPROVER_GROUPS: G(21) })).toEqual([]);
  });

  it('counts any approver as a possible requester when requester groups are set', () => {
    // Requester 10 is not an approver, so two approvers suffice for them...
    const env = { ...production, APPROVALS_REQUIRED: '2' };
    expect(problems(env)).toEqual([]);
    // ...but a requester group might hold approver 11, who would then have only one other approver.
    expect(problems({ ...env, OFFBOARD_REQUESTER_GROUPS: G(20) })).toEqual([
      expect.stringMatching(new RegExp(`^APPROVALS_REQUIRED: .* for requester ${G(11)}`)),
    ]);
  });
});
