/**
 * The cards in both languages (docs/i18n.md): every state, viewer and role read as a
 * person sees it (snapshots), no English left on a Russian card, no words in the
 * templates themselves, button titles short enough for a narrow card, and plural
 * forms and numbers as each language writes them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES } from '../../bot/i18n/catalogues';
import { LOCALES, type Locale, type Message } from '../../bot/i18n';
import type { OffboardRequest } from '../../bot/request/model';
import { renderChooseDeviceCard } from '../../cards/choose-device-card';
import { renderHelpCard, type HelpRoles } from '../../cards/help-card';
import type { AdaptiveCardJson } from '../../cards/render';
import { renderRequestCard } from '../../cards/request-card';
import { MAX_APPROVER_NAMES, type CardViewer } from '../../cards/request-view';
import { stateBadge } from '../../cards/state-badge';
import { at, machine, NOW, people, request, requestFixtures, target } from '../fakes/requests';
import { nodes, reading } from '../support/card-reading';

/** Buttons: every action with a title (the card's `refresh` action has none and shows none). */
const actions = (card: unknown) =>
  nodes(card).filter((n) => String(n.type).startsWith('Action.') && n.title !== undefined);

const FIXTURES = Object.entries(requestFixtures());
const RULES = ['Servers: 3 approvals from Server Owners'];
const ROLES: [string, HelpRoles][] = [
  ['requester and approver', { requester: true, approver: true, rules: RULES }],
  ['requester only', { requester: true, approver: false, rules: RULES }],
  ['approver only', { requester: false, approver: true, rules: RULES }],
  ['neither', { requester: false, approver: false, rules: RULES }],
];
const VIEWERS: CardViewer[] = ['requester', 'approver', 'other'];
const USER_IDS = [people.requester.teamsId, people.alice.teamsId, people.bob.teamsId];
const awaiting = () => requestFixtures()['awaiting approval, 1 approval']!;
const devices = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    machine({
      id: `${i}`.padStart(40, 'a'),
      computerDnsName: `ws-04${i}.contoso.local`,
      lastSeen: at(-i * 3_600_000),
    }),
  );

/** Every card the bot can send, in one language, by a readable name. */
function everyCard(locale: Locale): [string, AdaptiveCardJson][] {
  const opts = { now: NOW, locale };
  return [
    ...FIXTURES.map(([name, r]): [string, AdaptiveCardJson] => [name, renderRequestCard(r, opts)]),
    ...FIXTURES.flatMap(([name, r]) =>
      VIEWERS.map((viewer): [string, AdaptiveCardJson] => [
        `${name}, ${viewer}'s view`,
        renderRequestCard(r, { ...opts, viewer, userIds: USER_IDS, approverNames: ['Alice Approver'] }),
      ]),
    ),
    ...situations().map(([name, r]): [string, AdaptiveCardJson] => [name, renderRequestCard(r, opts)]),
    ['choose device', renderChooseDeviceCard('ws-04', devices(12), opts)],
    ...ROLES.map(([name, roles]): [string, AdaptiveCardJson] => [
      `help, ${name}`,
      renderHelpCard(roles, opts),
    ]),
  ];
}

describe.each(LOCALES)('cards in %s', (locale) => {
  const opts = { now: NOW, locale };

  it.each(FIXTURES)('request card, %s, reads as its snapshot', (_name, r) => {
    expect(reading(renderRequestCard(r, opts))).toMatchSnapshot();
  });

  it.each(VIEWERS)("awaiting approval, the %s's own view, reads as its snapshot", (viewer) => {
    const card = renderRequestCard(awaiting(), {
      ...opts,
      viewer,
      userIds: USER_IDS,
      approverNames: ['Bob Approver', 'Chen Approver'],
    });
    expect(reading(card)).toMatchSnapshot();
  });

  it('choose-device card reads as its snapshot', () => {
    expect(reading(renderChooseDeviceCard('ws-04', devices(12), opts))).toMatchSnapshot();
  });

  it.each(ROLES)('help card, %s, reads as its snapshot', (_name, roles) => {
    expect(reading(renderHelpCard(roles, opts))).toMatchSnapshot();
  });
});

const texts = (m: Message): string[] => (typeof m === 'string' ? [m] : Object.values(m));

/** Situations the fixtures do not show: retries, a stale approval, cancelled at Defender, two devices. */
function situations(): [string, OffboardRequest, { stale?: boolean }][] {
  const f = requestFixtures();
  const executing = f.executing!;
  const retry = (code: string, retryAt?: string) =>
    ({
      ...executing,
      targets: [
        target(machine(), {
          startedAt: at(-60_000),
          attempts: 2,
          retryAt,
          lastError: { code, message: 'Defender did not answer in time', target: 'corr-42' },
        }),
      ],
    }) satisfies OffboardRequest;
  const cancelledAtDefender: OffboardRequest = {
    ...f['completed, Succeeded']!,
    targets: [target(machine(), { actionId: 'act-1', actionStatus: 'Cancelled', checkedAt: at(-60_000) })],
    defenderCancellation: { by: people.alice, at: at(-120_000), actionId: 'act-1' },
  };
  return [
    ['retrying at Defender', retry('DefenderUnavailable', at(5 * 60_000)), {}],
    ['retrying at Graph, no time yet', retry('GraphUnavailable'), {}],
    ['an approval that no longer counts', awaiting(), { stale: true }],
    ['cancelled at Defender', cancelledAtDefender, {}],
    [
      'two devices',
      request({ targets: [target(), target(machine({ id: 'f'.repeat(40), computerDnsName: 'ws-043' }))] }),
      {},
    ],
  ];
}

describe.each(LOCALES)('more situations in %s', (locale) => {
  it.each(situations())('%s reads as its snapshot', (_name, r, { stale }) => {
    const policy = stale ? { approvers: { has: () => false }, approvalsRequired: 2 } : undefined;
    expect(reading(renderRequestCard(r, { now: NOW, locale, policy }))).toMatchSnapshot();
  });
});

describe('no English left on a Russian card', () => {
  /** Stretches of our English wording (between placeholders) long enough to be telling. */
  const english = Object.entries(CATALOGUES.en)
    .filter(([key]) => key.startsWith('card.'))
    .flatMap(([key, m]) => {
      return (
        texts(m)
          .flatMap((f) => f.split(/\{\w+\}/))
          .map((s) => s.trim())
          // Two words at least: single words (`Failed`) also occur in data (error texts).
          .filter((s) => /[a-z]{3}/i.test(s) && s.includes(' '))
          // Words Russian keeps as they are (`Microsoft Graph`) are not English left over.
          .filter(
            (s) =>
              !texts(CATALOGUES.ru[key as keyof typeof CATALOGUES.ru])
                .join('\n')
                .includes(s),
          )
      );
    });

  it('has English text to look for (guards the guard)', () => {
    expect(english).toContain(CATALOGUES.en['card.warning']);
    expect(english).toContain('more approvals needed, from someone other than the requester.');
  });

  it.each(everyCard('ru'))('%s', (_name, card) => {
    const text = reading(card);
    for (const s of english) expect([s, text.includes(s)]).toEqual([s, false]);
  });

  it('the templates hold no words of their own (all come from the catalogue)', () => {
    const dir = join(__dirname, '../../cards');
    const WORD_PROPS = new Set(['text', 'title', 'label', 'placeholder', 'errorMessage']);
    // The product's name is a name in every language.
    const NAMES = new Set(['Offboarder']);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      for (const n of nodes(template))
        for (const [prop, value] of Object.entries(n)) {
          if (!WORD_PROPS.has(prop) || typeof value !== 'string' || NAMES.has(value)) continue;
          expect([file, prop, value.replace(/\$\{[^}]*\}/g, '').trim()]).toEqual([file, prop, '']);
        }
    }
  });
});

/**
 * Button titles must fit a narrow card (docs/i18n.md, "Button titles"). Measured in
 * test/e2e/cards-narrow.test.ts's page: a button stacked on a 320 px card shows about
 * 26 characters of ordinary Russian text (14 of the widest letters) before running
 * past the edge; 20 leaves room for wider glyphs and the mobile clients' own fonts.
 */
const MAX_BUTTON_TITLE = 20;

describe('button titles fit a narrow card', () => {
  it.each(LOCALES)('%s', (locale) => {
    const titles = new Set(
      everyCard(locale).flatMap(([, card]) => actions(card).map((a) => String(a.title))),
    );
    expect(titles.size).toBeGreaterThan(5);
    for (const title of titles) expect([title, title.length <= MAX_BUTTON_TITLE]).toEqual([title, true]);
  });

  it('Russian buttons use the short words', () => {
    const titles = actions(renderRequestCard(awaiting(), { now: NOW, locale: 'ru' })).map((a) => a.title);
    expect(titles).toEqual(['Утвердить', 'Отклонить…', 'Отклонить', 'Отменить']);
  });
});

describe('plural forms and numbers follow the language', () => {
  const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');
  const many = (n: number): OffboardRequest => request({ targets: devices(n).map((m) => target(m)) });
  const title = (r: OffboardRequest, locale: Locale) =>
    String(nodes(renderRequestCard(r, { now: NOW, locale })).find((n) => n.type === 'TextBlock')?.text);

  it.each([
    [2, 'Отключение 2 устройств', 'Offboard 2 devices'],
    [5, 'Отключение 5 устройств', 'Offboard 5 devices'],
    [21, 'Отключение 21 устройства', 'Offboard 21 devices'],
  ])('title for %d devices', (n, ru, en) => {
    expect(title(many(n), 'ru')).toBe(ru);
    expect(title(many(n), 'en')).toBe(en);
  });

  it('approvals still needed', () => {
    const text = (required: number, locale: Locale) =>
      reading(renderRequestCard({ ...awaiting(), approvalsRequired: required }, { now: NOW, locale }));
    expect(text(2, 'ru')).toContain('Нужно ещё 1 утверждение');
    expect(text(3, 'ru')).toContain('Нужно ещё 2 утверждения');
    expect(text(6, 'ru')).toContain('Нужно ещё 5 утверждений');
    expect(text(2, 'en')).toContain('1 more approval needed');
    expect(text(3, 'en')).toContain('2 more approvals needed');
  });

  it('a stored error with a key reads in the card’s language; an older row keeps its English', () => {
    const failedWith = (error: NonNullable<OffboardRequest['targets'][number]['execution']['error']>) =>
      ({
        ...requestFixtures()['failed, Defender refused']!,
        targets: [target(machine(), { startedAt: at(-60_000), error })],
      }) satisfies OffboardRequest;
    const keyed = failedWith({
      code: 'approval_check_failed',
      message:
        'The approvals no longer satisfy the two-person rule (Alex Rivera is no longer an authorized requester), so nothing was sent to Defender.',
      key: 'notice.error.approvalsNoLonger',
      params: { reason: { key: 'notice.error.requesterRevoked', params: { name: 'Alex Rivera' } } },
    });
    expect(reading(renderRequestCard(keyed, { now: NOW, locale: 'ru' }))).toContain(
      'Утверждения больше не соответствуют правилу двух человек (Alex Rivera больше не имеет права',
    );
    expect(reading(renderRequestCard(keyed, { now: NOW, locale: 'en' }))).toContain(
      'The approvals no longer satisfy the two-person rule (Alex Rivera is no longer an authorized requester)',
    );
    const old = failedWith({ code: 'approval_check_failed', message: 'An English text from before keys.' });
    expect(reading(renderRequestCard(old, { now: NOW, locale: 'ru' }))).toContain(
      'An English text from before keys.',
    );
  });

  it('devices left off the choose-device card', () => {
    const more = (n: number) =>
      reading(renderChooseDeviceCard('ws', devices(10 + n), { now: NOW, locale: 'ru' }));
    expect(more(1)).toContain('И ещё 1 устройство');
    expect(more(3)).toContain('И ещё 3 устройства');
    expect(more(5)).toContain('И ещё 5 устройств');
  });

  it('the comment limit is written as a number of the language', () => {
    const draft = (locale: Locale) => nbsp(reading(renderRequestCard(request(), { now: NOW, locale })));
    expect(draft('ru')).toContain('не более 1 000 символов');
    expect(draft('en')).toContain('up to 1,000 characters');
  });

  it('relative times and the queue badge, in chat and on the card', () => {
    const queued = requestFixtures()['executing, queued by the rate limit']!;
    expect(stateBadge(queued, { locale: 'ru' }).badge).toBe('В очереди Defender до 2026-11-29 14:09 UTC');
    expect(stateBadge(queued, { locale: 'ru', card: true }).badge).toBe(
      'В очереди Defender до {{DATE(2026-11-29T14:09:00Z, SHORT)}}, {{TIME(2026-11-29T14:09:00Z)}}',
    );
    expect(reading(renderRequestCard(queued, { now: NOW, locale: 'ru' }))).toContain('(через 4 мин)');
  });
});

describe('who can still approve, on the requester’s own view (issue #13)', () => {
  const names = Array.from({ length: MAX_APPROVER_NAMES + 2 }, (_, i) => `Approver *${i}*`);
  const view = (viewer: CardViewer | undefined, approverNames?: string[]) =>
    reading(renderRequestCard(awaiting(), { now: NOW, viewer, userIds: USER_IDS, approverNames }));

  it('lists the names, Markdown-escaped, capped with a count of the rest', () => {
    const text = view('requester', names);
    expect(text).toContain('Can approve: Approver \\*0\\*, Approver \\*1\\*');
    expect(text).toContain(`Approver \\*${MAX_APPROVER_NAMES - 1}\\* and 2 more.`);
    expect(text).not.toContain(`Approver \\*${MAX_APPROVER_NAMES}\\*`);
  });

  it('only in the requester’s view, only when names are given and approvals are missing', () => {
    expect(view('approver', names)).not.toContain('Can approve');
    expect(view('other', names)).not.toContain('Can approve');
    expect(view(undefined, names)).not.toContain('Can approve');
    expect(view('requester')).not.toContain('Can approve');
    expect(view('requester', [])).not.toContain('Can approve');
    const done = renderRequestCard(
      { ...awaiting(), approvalsRequired: 1 },
      { now: NOW, viewer: 'requester', userIds: USER_IDS, approverNames: names },
    );
    expect(reading(done)).not.toContain('Can approve');
  });

  it('in Russian', () => {
    const card = renderRequestCard(awaiting(), {
      now: NOW,
      locale: 'ru',
      viewer: 'requester',
      userIds: USER_IDS,
      approverNames: ['Bob Approver'],
    });
    expect(reading(card)).toContain('Могут утвердить: Bob Approver.');
  });
});
