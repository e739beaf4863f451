import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OffboardRequest, RequestState } from '../../bot/request/model';
import { CHOOSE_DEVICE_MAX, renderChooseDeviceCard } from '../../cards/choose-device-card';
import { MAX_TEXT_LINES } from '../../cards/format';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  CARD_MAX_BYTES,
  CardTemplateError,
  cardBytes,
  loadTemplate,
  toAttachment,
  type AdaptiveCardJson,
} from '../../cards/render';
import { renderRequestCard } from '../../cards/request-card';
import { MAX_APPROVER_NAMES } from '../../cards/request-view';
import { LOCALES } from '../../bot/i18n';
import { renderHelpCard } from '../../cards/help-card';
import { COMMENT_MAX, REJECT_REASON_MAX } from '../../bot/request/limits';
import { INPUTS, VERBS } from '../../cards/verbs';
import {
  approval,
  at,
  HOSTILE,
  HOSTILE_TEXT,
  hostileRequest,
  machine,
  NOW,
  people,
  request,
  requestFixtures,
  target,
} from '../fakes/requests';

type Json = Record<string, unknown>;

const OPTS = { now: NOW };
const FIXTURES = Object.entries(requestFixtures());
const STATES = [...new Set(FIXTURES.map(([, r]) => r.state))];
const KNOWN_VERBS: string[] = Object.values(VERBS);
/** A time as the card writes it: text functions Teams fills in the viewer's zone and language. */
const when = (iso: string) => `{{DATE(${iso}, SHORT)}} at {{TIME(${iso})}}`;

/** Every object in the card, depth first (ShowCard cards and ActionSets included). */
function nodes(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(nodes)];
}
const ofType = (card: unknown, type: string) => nodes(card).filter((n) => n.type === type);
const actions = (card: unknown) => nodes(card).filter((n) => String(n.type).startsWith('Action.'));
const buttonTitles = (card: unknown) => actions(card).map((a) => a.title);
const input = (card: unknown, id: string) => ofType(card, 'Input.Text').find((n) => n.id === id);
const facts = (card: unknown) =>
  Object.fromEntries(
    ofType(card, 'FactSet').flatMap((f) => (f.facts as Json[]).map((x) => [x.title, x.value])),
  );
/** All text a reader sees, in card order: TextRuns joined per block, facts as `title: value`. */
function visibleText(card: unknown): string {
  return nodes(card)
    .flatMap((n) => {
      if (n.type === 'TextBlock') return [String(n.text)];
      if (n.type === 'RichTextBlock') return [(n.inlines as Json[]).map((r) => r.text).join('')];
      if (n.type === 'FactSet') return (n.facts as Json[]).map((f) => `${f.title}: ${f.value}`);
      return [];
    })
    .join('\n');
}
const render = (r: OffboardRequest) => renderRequestCard(r, OPTS);
const fixture = (name: string) => requestFixtures()[name]!;

describe('renderRequestCard', () => {
  it.each(FIXTURES)('%s matches its snapshot', (_name, r) => {
    expect(render(r)).toMatchSnapshot();
  });

  it.each(FIXTURES)(
    '%s: buttons are Action.Execute with a known verb and only the request id',
    (_name, r) => {
      const card = render(r);
      for (const action of actions(card)) {
        if (action.type === 'Action.ShowCard') continue; // opens the reason form; sends nothing
        expect(action.type).toBe('Action.Execute');
        expect(KNOWN_VERBS).toContain(action.verb);
        expect(action.data).toEqual({ requestId: r.id });
      }
    },
  );

  it.each(FIXTURES)('%s: leaves no template expression unexpanded', (_name, r) => {
    expect(JSON.stringify(render(r))).not.toContain('${');
  });

  it.each<[RequestState, string[]]>([
    ['draft', ['Request approval', 'Cancel request']],
    ['awaiting_approval', ['Approve', 'Reject…', 'Reject', 'Cancel request']],
    ['executing', ['Refresh status']],
    ['tracking', ['Refresh status']],
    ['completed', []],
    ['failed', []],
    ['rejected', []],
    ['cancelled', []],
    ['expired', []],
  ])('%s offers %j', (state, titles) => {
    expect(buttonTitles(render(request({ state })))).toEqual(titles);
  });

  it('draft: a required, capped, multiline comment input, prefilled with the current comment', () => {
    const card = render(fixture('draft with prefilled comment'));
    expect(input(card, INPUTS.comment)).toMatchObject({
      isMultiline: true,
      isRequired: true,
      maxLength: COMMENT_MAX,
      value: fixture('draft with prefilled comment').comment,
      errorMessage: expect.stringContaining(COMMENT_MAX.toLocaleString('en')),
    });
    expect(input(render(fixture('draft')), INPUTS.comment)?.value).toBe('');
  });

  it('draft: submit sends the comment input, cancel sends no inputs', () => {
    const byVerb = Object.fromEntries(actions(render(request())).map((a) => [a.verb, a]));
    expect(byVerb[VERBS.submit]).toMatchObject({ associatedInputs: 'auto', style: 'positive' });
    expect(byVerb[VERBS.cancel]).toMatchObject({ associatedInputs: 'none' });
  });

  it('awaiting approval: the comment is locked text; reject needs a capped reason; approve sends none', () => {
    const r = fixture('awaiting approval, 1 approval');
    const card = render(r);
    expect(input(card, INPUTS.comment)).toBeUndefined();
    expect(visibleText(card)).toContain('Wipe already sent from Intune.');
    expect(input(card, INPUTS.rejectReason)).toMatchObject({
      isRequired: true,
      maxLength: REJECT_REASON_MAX,
    });
    const byVerb = Object.fromEntries(actions(card).map((a) => [a.verb, a]));
    expect(byVerb[VERBS.approve]).toMatchObject({ associatedInputs: 'none', style: 'positive' });
    expect(byVerb[VERBS.reject]).toMatchObject({ associatedInputs: 'auto', style: 'destructive' });
    expect(visibleText(card)).toContain(`Approved by Alice Approver on ${when('2026-11-29T14:00:00Z')}`);
    expect(visibleText(card)).toContain('1 more approval needed');
    expect(visibleText(card)).toContain('The requester cannot approve their own request.');
    expect(visibleText(card)).toContain(`Expires ${when('2026-11-30T13:35:00Z')} (in 23 h 30 min)`);
  });

  it('badges every state', () => {
    const badges = FIXTURES.map(([name, r]) => [name, ofType(render(r), 'TextBlock')[1]?.text]);
    expect(Object.fromEntries(badges)).toEqual({
      draft: 'Draft',
      'draft with prefilled comment': 'Draft',
      'awaiting approval, 0 approvals': 'Awaiting approval (0 of 2)',
      'awaiting approval, 1 approval': 'Awaiting approval (1 of 2)',
      executing: 'Executing',
      'executing, queued by the rate limit': `Queued at Defender until ${when('2026-11-29T14:09:00Z')}`,
      'tracking, InProgress': 'Offboarding in progress',
      'completed, Succeeded': 'Succeeded',
      'completed, Failed with error': 'Failed',
      'failed, Defender refused': 'Failed',
      'outcome unknown': 'Outcome unknown',
      rejected: 'Rejected',
      cancelled: 'Cancelled',
      expired: 'Expired',
    });
  });

  it('shows device facts from the snapshot the approvals are bound to', () => {
    expect(facts(render(request()))).toMatchObject({
      Name: 'ws-042.contoso.local',
      'Device id': '1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
      OS: 'Windows11 22H2 (build 22621)',
      'Last seen': `${when('2026-11-29T12:05:00Z')} (2 h ago)`,
      Tags: 'Finance, Laptop',
      'Device group': 'Workstations',
    });
    const sparse = machine({
      osPlatform: undefined,
      version: undefined,
      osBuild: undefined,
      machineTags: [],
    });
    expect(facts(render(request({ targets: [target(sparse)] })))).toMatchObject({ OS: '—', Tags: '—' });
  });

  it('shows Defender progress, the queue ETA, the error and its support reference', () => {
    expect(facts(render(fixture('executing, queued by the rate limit')))).toMatchObject({
      'Defender status': 'Queued (Defender API rate limit)',
      'Queued until': `${when('2026-11-29T14:09:00Z')} (in 4 min)`,
    });
    expect(facts(render(fixture('tracking, InProgress')))).toMatchObject({
      'Defender action': 'b89eb834-4578-496c-8be0-03f004061435',
      'Defender status': 'In progress',
      'Last checked': `${when('2026-11-29T14:04:00Z')} (1 min ago)`,
    });
    expect(facts(render(fixture('completed, Failed with error')))).toMatchObject({
      'Defender status': 'Failed',
      Error: 'Defender reported the offboarding action as Failed (ActionFailed)',
      'Support reference': 'b89eb834-4578-496c-8be0-03f004061435',
    });
    expect(facts(render(fixture('failed, Defender refused')))).toMatchObject({
      'Defender status': 'Not accepted by Defender',
      Error: 'Action is already in progress (ActiveRequestAlreadyExists)',
    });
  });

  it('says who rejected and why, who cancelled, and when it expired', () => {
    expect(visibleText(render(fixture('rejected')))).toContain(
      `Rejected by Bob Approver on ${when('2026-11-29T13:55:00Z')}\nReason\nDevice is back in the office.\nSee INC-4712.`,
    );
    expect(visibleText(render(fixture('cancelled')))).toContain(
      `Cancelled by Riya Requester on ${when('2026-11-29T13:55:00Z')}`,
    );
    expect(visibleText(render(fixture('expired')))).toContain(`Expired on ${when('2026-11-29T13:05:00Z')}`);
  });

  it('renders one section per target', () => {
    const second = machine({ id: 'f'.repeat(40), computerDnsName: 'ws-043.contoso.local' });
    const card = render(request({ targets: [target(), target(second)] }));
    expect(ofType(card, 'TextBlock')[0]?.text).toBe('Offboard 2 devices');
    expect(visibleText(card)).toMatch(/Device 1 of 2[\s\S]*ws-042[\s\S]*Device 2 of 2[\s\S]*ws-043/);
  });

  it("writes every time as strict DATE()/TIME() functions, so Teams shows the viewer's zone", () => {
    for (const [, r] of FIXTURES) {
      const text = visibleText(render(r));
      // Rules of the text functions: capitals, no spaces inside, RFC 3339 without fractions.
      const calls = [...text.matchAll(/\{\{(DATE|TIME)\(([^)]*)\)\}\}/g)].map((m) => m[2]!);
      expect(calls.length).toBeGreaterThan(0);
      for (const args of calls) expect(args).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z(, SHORT)?$/);
      expect(text).not.toMatch(/UTC|\d{2}:\d{2}:\d{2}\.\d+Z/);
    }
    const card = renderRequestCard(request({ approvals: [approval(people.alice, 0)] }), { now: NOW });
    expect(visibleText(card)).toContain(`Alice Approver on ${when('2026-11-29T14:05:00Z')}`);
  });
});

describe('user text is data: never a template expression, Markdown or a mention', () => {
  /** Fields rendered as Markdown: TextBlock text and Fact values. */
  const markdownFields = (card: unknown) => [
    ...ofType(card, 'TextBlock').map((n) => String(n.text)),
    ...Object.values(facts(card)).map(String),
  ];

  it.each(STATES.flatMap((state) => LOCALES.map((locale) => [state, locale] as const)))(
    '%s (%s)',
    (state, locale) => {
      const card = renderRequestCard(hostileRequest(state), { now: NOW, locale });
      const json = JSON.stringify(card);
      // Template text in data stays literal: the engine expands the template, not values.
      expect(json).toContain('${$root.verbs.approve}');
      expect(json).not.toContain(`${'req-7f3a9c'} ${VERBS.approve}`);
      // No mention entities: `<at>` binds to a person only through msteams.entities.
      expect(nodes(card).some((n) => 'msteams' in n || 'entities' in n)).toBe(false);
      // {{DATE()}} in typed text is defused wherever text renders (an input's value is
      // not formatted); the card's own times are functions on purpose (2026 fixtures).
      expect(visibleText(card)).not.toMatch(/\{\{(DATE|TIME)\(2017-/);
      // Markdown fields carry no unescaped formatting, link or tag characters.
      for (const text of markdownFields(card)) expect(text).not.toMatch(/(?<!\\)[*_`[\]<>~|]/);
    },
  );

  it('keeps typed text exactly as typed in TextRuns (plain text) and in the input value', () => {
    const draft = render(hostileRequest('draft'));
    expect(input(draft, INPUTS.comment)?.value).toBe(HOSTILE_TEXT);
    const text = visibleText(render(hostileRequest('rejected')));
    expect(text).toContain(`Riya Requester ${HOSTILE.html} \${requestId} \${$root.verbs.approve}`);
    expect(text).toContain(HOSTILE.markdown);
    expect(text).toContain('{\u200b{DATE(2017-02-14T06:08:39Z, SHORT)}}');
  });

  it('escapes device fields shown as Markdown', () => {
    const card = render(hostileRequest('completed'));
    expect(ofType(card, 'TextBlock')[0]?.text).toBe(
      'Offboard device evil \\*\\*bold\\*\\* \\_it\\_ \\[link\\](http://x.example) !\\[img\\](http://x.example/i.png) \\`code\\`',
    );
    expect(facts(card).Tags).toContain('\\<at\\>Alice Approver\\</at\\> \\<b\\>b\\</b\\> \\&lt;script\\&gt;');
    expect(facts(card).Tags).toContain('\\- item\n1\\. first\n\\# heading\n\\> quote');
  });
});

describe('card size', () => {
  /** Who can still approve, at the most the requester's view lists. */
  const approverNames = Array.from({ length: MAX_APPROVER_NAMES }, () => '"\\€'.repeat(86));
  /** The most text every field can hold, in characters that cost the most once JSON-encoded. */
  function largest(state: RequestState): OffboardRequest {
    const worst = (n: number) => '"\\€'.repeat(Math.ceil(n / 3)).slice(0, n);
    const lines = (n: number) => Array.from({ length: n / 2 }, () => 'x').join('\n');
    const person = (p: typeof people.alice) => ({ ...p, name: worst(256) });
    const big = machine({
      computerDnsName: worst(255),
      machineTags: Array.from({ length: 30 }, () => worst(60)),
      rbacGroupName: worst(256),
    });
    const failed = { code: worst(100), message: worst(1000), target: worst(100) };
    return request({
      state,
      requester: person(people.requester),
      comment: state === 'draft' ? worst(COMMENT_MAX) : lines(COMMENT_MAX),
      approvals: [approval(person(people.alice), -60_000), approval(person(people.bob), -60_000)],
      rejection: { by: person(people.bob), at: at(0), reason: lines(REJECT_REASON_MAX) },
      cancellation: { by: person(people.requester), at: at(0) },
      targets: [
        target(big, { actionId: worst(100), actionStatus: 'Failed', checkedAt: at(0), error: failed }),
      ],
    });
  }

  it.each(STATES.flatMap((state) => LOCALES.map((locale) => [state, locale] as const)))(
    '%s (%s) stays under the Teams budget at its largest',
    (state, locale) => {
      const card = renderRequestCard(largest(state), {
        now: NOW,
        locale,
        viewer: 'requester',
        approverNames,
      });
      expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    },
  );

  it(`shows at most ${MAX_TEXT_LINES} lines of typed text`, () => {
    const card = render(largest('rejected'));
    const lineBlocks = ofType(card, 'RichTextBlock').filter((n) => (n.inlines as Json[]).length === 1);
    expect(lineBlocks).toHaveLength(2 * MAX_TEXT_LINES);
  });
});

describe('renderChooseDeviceCard', () => {
  const machines = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      machine({
        id: `${i}`.padStart(40, 'a'),
        computerDnsName: `ws-04${i}.contoso.local`,
        lastSeen: at(-i * 86_400_000),
      }),
    );
  const choose = (query: string, n: number) => renderChooseDeviceCard(query, machines(n), OPTS);

  it('matches its snapshot', () => {
    expect(choose('ws-04', 3)).toMatchSnapshot();
  });

  it('offers one "Offboard this one" per device, carrying only its id', () => {
    const card = choose('ws-04', 3);
    expect(actions(card).map((a) => [a.title, a.verb, a.data])).toEqual(
      machines(3).map((m) => ['Offboard this one', VERBS.choose, { machineId: m.id }]),
    );
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it(`lists at most ${CHOOSE_DEVICE_MAX}, then says how many more`, () => {
    const card = choose('ws', CHOOSE_DEVICE_MAX + 3);
    expect(actions(card)).toHaveLength(CHOOSE_DEVICE_MAX);
    expect(visibleText(card)).toContain('And 3 more devices: use the device id to pick one of them.');
    expect(visibleText(choose('ws', CHOOSE_DEVICE_MAX))).not.toContain('more device');
  });

  it('shows the query as typed, as plain text', () => {
    expect(visibleText(choose(HOSTILE.template, 2))).toContain(
      'Several devices match ${requestId} ${$root.verbs.approve} {\u200b{DATE(2017-02-14T06:08:39Z, SHORT)}}',
    );
  });
});

describe('render helpers', () => {
  it('wraps a card as an Adaptive Card attachment', () => {
    const card = render(request());
    expect(toAttachment(card)).toEqual({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card });
    expect(ADAPTIVE_CARD_CONTENT_TYPE).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('throws when a template binds data the view-model lacks, naming the path', () => {
    const broken = loadTemplate<object>(
      { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x ${nope.field}' }] },
      'broken.json',
    );
    expect(() => broken.expand({})).toThrow(CardTemplateError);
    expect(() => broken.expand({})).toThrow(/broken\.json binds missing data: nope\.field/);
    // The hook is restored: other templates are unaffected.
    expect(() => render(request())).not.toThrow();
  });

  it('templates take verbs from cards/verbs.ts, never spelled out', () => {
    const dir = join(__dirname, '../../cards');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const verb of KNOWN_VERBS) expect(text).not.toContain(verb);
    }
  });

  it('returns cards typed as AdaptiveCardJson', () => {
    const card: AdaptiveCardJson = render(request());
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  });
});

describe('the applied rule (POLICY_FILE, issue #13)', () => {
  const servers = (): OffboardRequest => ({
    ...fixture('awaiting approval, 1 approval'),
    approvalsRequired: 3,
    rule: { name: 'Servers', summary: 'Servers: 3 approvals from Server Owners', approvalsRequired: 3 },
  });

  it('awaiting approval under a rule matches its snapshot', () => {
    expect(render(servers())).toMatchSnapshot();
  });

  it('says which rule applies, under the requester; older requests show no rule line', () => {
    expect(visibleText(render(servers()))).toContain('Rule: Servers: 3 approvals from Server Owners');
    expect(visibleText(render(fixture('awaiting approval, 1 approval')))).not.toContain('Rule:');
  });

  it("counts approvals against the request's own rule now, per request", () => {
    const r = servers();
    const approver = r.approvals[0]!.by.aadObjectId;
    const counted = renderRequestCard(r, {
      now: NOW,
      policy: {
        approvers: { has: () => false },
        approvalsRequired: 1,
        forRequest: () => ({ approvers: { has: (id) => id === approver }, approvalsRequired: 3 }),
      },
    });
    expect(visibleText(counted)).toContain('Approvals: 1 of 3');
    expect(visibleText(counted)).not.toContain('no longer an approver');
    const stale = renderRequestCard(r, {
      now: NOW,
      policy: {
        approvers: { has: () => true },
        approvalsRequired: 1,
        forRequest: () => ({ approvers: { has: () => false }, approvalsRequired: 3 }),
      },
    });
    expect(visibleText(stale)).toContain('Approvals: 0 of 3');
    expect(visibleText(stale)).toContain('no longer an approver');
  });
});

describe('renderHelpCard', () => {
  const RULES = [
    'Servers: 3 approvals from Server Owners',
    'Default: 2 approvals from the configured approvers',
  ];
  const usages = (card: unknown) =>
    ofType(card, 'TextBlock')
      .filter((b) => b.fontType === 'monospace')
      .map((b) => b.text);

  it.each([
    ['requester and approver', { requester: true, approver: true, rules: RULES }],
    ['approver only', { requester: false, approver: true, rules: RULES.slice(0, 1) }],
    ['neither', { requester: false, approver: false, rules: RULES }],
  ])('%s matches its snapshot', (_name, roles) => {
    expect(renderHelpCard(roles)).toMatchSnapshot();
  });

  it('lists the commands each person may use, with examples, and the rules that apply', () => {
    const both = renderHelpCard({ requester: true, approver: true, rules: RULES });
    expect(usages(both)).toEqual([
      'offboard {device} [comment]',
      'offboard {device}, {device}, … [comment]',
      'offboard tag:{tag} group:"{device group}" inactive:{N}d [comment]',
      'status {request id}',
      'status {request id} failed',
      'pending',
      'cancel {request id}',
      'help',
    ]);
    expect(visibleText(both)).toContain('Example: offboard WS-042');
    expect(visibleText(both)).toContain('offboard ws-1, ws-2 retired lab');
    expect(visibleText(both)).toContain('offboard tag:lab-retired inactive:30d decommissioned');
    expect(visibleText(both)).toContain('status OFB-7K2MXQ40 failed');
    expect(visibleText(both)).toContain('Servers: 3 approvals from Server Owners');
    const approver = renderHelpCard({ requester: false, approver: true, rules: [] });
    expect(usages(approver)).toEqual([
      'status {request id}',
      'status {request id} failed',
      'pending',
      'cancel {request id}',
      'help',
    ]);
    expect(visibleText(approver)).not.toContain('tag:');
    expect(visibleText(approver)).not.toContain('Rules that apply');
    const neither = renderHelpCard({ requester: false, approver: false, rules: RULES });
    expect(usages(neither)).toEqual(['help']);
    expect(visibleText(neither)).toMatch(/not on the lists/);
    expect(visibleText(neither)).not.toContain('Servers');
    expect(actions(neither)).toEqual([]);
  });
});
