import type { Audience, Directory } from '../../bot/directory';
import { staticDirectory } from '../../bot/directory';
import { GraphUnavailableError } from '../../bot/graph/graph-error';
import { parsePolicy } from '../../bot/policy-file/parse';
import type { PolicySettings } from '../../bot/offboarding/ports';
import {
  anyRequesters,
  cardPolicy,
  holdsBeforePost,
  mayRead,
  rosterFor,
  ruleForRequest,
} from '../../bot/offboarding/rules';
import { approval, machine, people, request, target } from '../fakes/requests';

/** The request flow's rules and rosters (bot/offboarding/rules.ts) over a directory fake. */
const GROUP = '00000000-0000-4000-8000-0000000000b2';
const carol = { aadObjectId: '00000000-0000-0000-0000-0000000000c3', name: 'Carol In Group' };

/** Carol is in GROUP; `down` makes every group question fail as Graph would. */
function groupDirectory(state: { down?: boolean; asked: Array<[string, boolean]> }): Directory {
  const inGroup = (id: string, a: Audience) =>
    a.users.includes(id) || (a.groups.includes(GROUP) && id === carol.aadObjectId);
  return {
    async isMember(id, a, check) {
      if (a.users.includes(id)) return true;
      if (!a.groups.length) return false;
      state.asked.push([id, check.live]);
      if (state.down) throw new GraphUnavailableError('503');
      return inGroup(id, a);
    },
    async members(a) {
      if (state.down) throw new GraphUnavailableError('503');
      return new Set([...a.users, ...(a.groups.includes(GROUP) ? [carol.aadObjectId] : [])]);
    },
    cached: (id, a) => (a.users.includes(id) ? true : undefined),
  };
}

const FILE = `rules:
  - name: Servers
    match:
      rbacGroupName: Servers
    approvers:
      groups:
        - id: ${GROUP}
          name: Server Owners
    approvalsRequired: 1
  - name: Domain controllers
    match:
      tags: [DomainController]
    allowed: false
`;

function settings(state: { down?: boolean; asked: Array<[string, boolean]> }): PolicySettings {
  const env = {
    requesters: { users: [people.requester.aadObjectId], groups: [] },
    approvers: { users: [people.alice.aadObjectId, people.bob.aadObjectId], groups: [] },
    approvalsRequired: 2,
  };
  return {
    roster: {
      requesters: new Set(env.requesters.users),
      approvers: new Set(env.approvers.users),
      allowedTenantIds: new Set(['tenant-1']),
    },
    approvalsRequired: 2,
    ttlMs: 3600_000,
    draftTtlMs: 600_000,
    directory: { directory: groupDirectory(state), rules: parsePolicy(FILE, 'policy.yaml', env), env },
  };
}

const server = () => target(machine({ rbacGroupName: 'Servers', computerDnsName: 'srv-01.contoso.local' }));

describe('the rule of a request', () => {
  it('first match from the file, else Default from the environment', () => {
    const s = settings({ asked: [] });
    expect(ruleForRequest(s, request({ targets: [server()] })).summary).toBe(
      'Servers: 1 approval from Server Owners',
    );
    expect(ruleForRequest(s, request()).name).toBe('Default');
    const dc = target(machine({ machineTags: ['DomainController'] }));
    expect(ruleForRequest(s, request({ targets: [dc] })).allowed).toBe(false);
  });

  it('without a directory in the settings: the lists alone, as before', async () => {
    const { directory, ...plain } = settings({ asked: [] });
    void directory;
    expect(anyRequesters(plain).users).toEqual([people.requester.aadObjectId]);
    const rule = ruleForRequest(plain, request());
    const roster = await rosterFor(
      plain,
      rule,
      { requesters: [], approvers: [people.alice.aadObjectId, carol.aadObjectId] },
      true,
    );
    expect([...roster.approvers]).toEqual([people.alice.aadObjectId]);
  });
});

describe('rosters and the check before the POST', () => {
  it('asks about group members live when told to, and only about the people involved', async () => {
    const state = { asked: [] as Array<[string, boolean]> };
    const s = settings(state);
    const r = request({ targets: [server()] });
    const roster = await rosterFor(
      s,
      ruleForRequest(s, r),
      {
        requesters: [people.requester.aadObjectId],
        approvers: [carol.aadObjectId, people.alice.aadObjectId],
      },
      true,
    );
    expect([...roster.approvers]).toEqual([carol.aadObjectId]);
    expect(state.asked).toEqual([
      [carol.aadObjectId, true],
      [people.alice.aadObjectId, true],
    ]);
  });

  it('holds under the rule now; a Graph failure propagates (the executor retries later)', async () => {
    const state = { down: false, asked: [] as Array<[string, boolean]> };
    const s = settings(state);
    const r = request({
      state: 'executing',
      targets: [server()],
      approvalsRequired: 1,
      approvals: [approval(carol, -1000)],
    });
    expect(await holdsBeforePost(s, r)).toEqual({ ok: true });
    expect(state.asked.every(([, live]) => live)).toBe(true);
    state.down = true;
    await expect(holdsBeforePost(s, r)).rejects.toMatchObject({
      name: 'ApproverCheckUnavailable',
      code: 'GraphUnavailable',
      chatMessage: expect.stringMatching(/nothing was sent to Defender yet/),
    });
    const dc = request({
      state: 'executing',
      targets: [target(machine({ machineTags: ['DomainController'] }))],
    });
    state.down = false;
    expect(await holdsBeforePost(s, dc)).toMatchObject({ ok: false, reason: /Domain controllers/ });
  });

  it('a listed approver who is not among the rule approvers does not count', async () => {
    const s = settings({ asked: [] });
    const r = request({
      state: 'executing',
      targets: [server()],
      approvalsRequired: 1,
      approvals: [approval(people.alice, -1000)],
    });
    expect(await holdsBeforePost(s, r)).toMatchObject({ ok: false });
  });
});

describe('reading and cards', () => {
  it('reads need the tenant, the conversation and a place on some list (group members too)', async () => {
    const s = settings({ asked: [] });
    s.directory = {
      ...s.directory!,
      env: { ...s.directory!.env, approvers: { users: [], groups: [GROUP] } },
    };
    const r = request();
    const viewer = (
      actorId: string,
      conversationId = r.conversation.conversationId,
      tenantId = 'tenant-1',
    ) => ({
      actorId,
      tenantId,
      conversationId,
    });
    expect(await mayRead(s, r, viewer(carol.aadObjectId))).toBe(true);
    expect(await mayRead(s, r, viewer(people.requester.aadObjectId))).toBe(true);
    expect(await mayRead(s, r, viewer('00000000-0000-0000-0000-0000000000ff'))).toBe(false);
    expect(await mayRead(s, r, viewer(carol.aadObjectId, '19:other@thread.tacv2'))).toBe(false);
    expect(await mayRead(s, r, viewer(carol.aadObjectId, undefined, 'tenant-2'))).toBe(false);
  });

  it("the card counts against the request's rule; unknown group answers are not shown as stale", () => {
    const s = settings({ asked: [] });
    const view = cardPolicy(s);
    const r = request({ targets: [server()] });
    expect(view.forRequest(r).approvalsRequired).toBe(1);
    expect(view.forRequest(r).approvers.has(carol.aadObjectId)).toBe(true);
    const plain = cardPolicy({ ...s, directory: { ...s.directory!, directory: staticDirectory() } });
    expect(plain.forRequest(r).approvers.has(carol.aadObjectId)).toBe(false);
    expect(plain.forRequest(request()).approvers.has(people.alice.aadObjectId)).toBe(true);
  });
});
