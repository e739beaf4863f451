import { renderBulkCard, BULK_ROWS } from '../../cards/bulk-card';
import { renderBulkConfirmCard, renderBulkConfirmedCard } from '../../cards/bulk-confirm-card';
import { LOCALES } from '../../bot/i18n';
import { bulkProgress } from '../../bot/request/bulk-progress';
import { bulkFixtures } from '../fakes/bulk-requests';
import { reading } from '../support/card-reading';
import { cardBytes, CARD_MAX_BYTES } from '../../cards/render';
import { renderRequestCard } from '../../bot/teams/bulk-card-route';
import type { Machine } from '../../bot/defender/types';
import type { BulkSelection, OffboardRequest, RequestState } from '../../bot/request/model';
import { BULK_REFUSALS, BULK_REFUSED_KEPT } from '../../bot/request/model';
import { machine, people, request, target, NOW } from '../fakes/requests';

/** The bulk card: its totals and rows, both languages, and its size at 500 devices. */
const LONG = 'a'.repeat(60);

function many(n: number, long = false): Machine[] {
  return Array.from({ length: n }, (_, i) =>
    machine({
      id: i.toString(16).padStart(40, '0'),
      computerDnsName: long ? `${LONG}-${i}.${LONG}.${LONG}.contoso.local` : `lab-${i}.contoso.local`,
      osPlatform: [
        'Windows11',
        'Windows10',
        'WindowsServer2022',
        'Windows11',
        'Linux',
        'macOS',
        'WindowsServer2019',
        'Windows10',
      ][i % 8],
      version: `${20 + (i % 5)}H2`,
      rbacGroupName: long ? `Group ${i % 9} ${LONG}` : `Group ${i % 3}`,
      machineTags: long ? [LONG, LONG] : [],
    }),
  );
}

function bulkRequest(n: number, state: RequestState = 'draft', long = false): OffboardRequest {
  const refused: BulkSelection['refused'] = Array.from({ length: BULK_REFUSED_KEPT }, (_, i) => ({
    name: long ? `${LONG}-refused-${i}.${LONG}.contoso.local` : `gone-${i}`,
    reason: BULK_REFUSALS[i % BULK_REFUSALS.length]!,
  }));
  return request({
    id: 'OFB-BULK0001',
    state,
    comment: long ? 'c'.repeat(1000) : 'retired lab',
    targets: many(n, long).map((m) => target(m)),
    bulk: {
      selectors: long ? `tag:"${LONG}" group:"${LONG}" inactive:30d` : 'tag:lab-retired',
      listed: 0,
      refusedCounts: { unsupported_os: 40, not_found: 30, open_request: 10 },
      refused,
    },
  });
}

const text = (card: object) => JSON.stringify(card);

describe('bulk card', () => {
  it('shows totals, refusals per reason, breakdowns and the first rows', () => {
    const card = renderBulkCard(bulkRequest(120), { now: NOW });
    const s = text(card);
    expect(s).toContain('Offboard 120 devices');
    expect(s).toContain('120 devices to offboard');
    expect(s).toContain('Selected by tag:lab-retired');
    expect(s).toContain('80 devices left out:');
    expect(s).toContain('OS not supported by the offboard API');
    expect(s).toContain('lab-0.contoso.local');
    expect(s).toContain(`lab-${BULK_ROWS - 1}.contoso.local`);
    expect(s).not.toContain(`lab-${BULK_ROWS}.contoso.local`);
    expect(s).toContain(`and ${120 - BULK_ROWS} more devices`);
    expect(s).toContain('Group 0');
    // The same buttons as the request card (a draft: the requester's submit and cancel).
    expect(s).toContain('offboard.submit');
    expect(s).toContain('offboard.cancel');
  });

  it('speaks Russian', () => {
    const s = text(renderBulkCard(bulkRequest(121), { now: NOW, locale: 'ru' }));
    expect(s).toContain('121 устройство к выводу из Defender');
    expect(s).toContain('Группы устройств');
  });

  it.each<RequestState>([
    'draft',
    'awaiting_approval',
    'executing',
    'tracking',
    'completed',
    'outcome_unknown',
  ])('stays under CARD_MAX_BYTES at 500 devices with long names (%s)', (state) => {
    for (const locale of ['en', 'ru'] as const) {
      const card = renderBulkCard(bulkRequest(500, state, true), {
        now: NOW,
        locale,
        userIds: Array.from({ length: 60 }, (_, i) => `29:user-${i}`),
      });
      expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    }
  });

  it('is the card of any request with more than one target; one target keeps the request card', () => {
    const two = renderRequestCard(bulkRequest(2), { now: NOW });
    expect(text(two)).toContain('2 devices to offboard');
    const one = renderRequestCard(request({ targets: [target()] }), { now: NOW });
    expect(text(one)).not.toContain('to offboard');
  });

  it('the confirm prompt carries the command and the requester', () => {
    const card = renderBulkConfirmCard({
      count: 120,
      selectors: 'tag:lab-retired',
      command: 'offboard tag:lab-retired\nretired',
      requesterId: people.requester.aadObjectId,
    });
    expect(text(card)).toContain('Offboard 120 devices?');
    expect(card.actions).toEqual([
      expect.objectContaining({
        verb: 'offboard.confirmBulk',
        data: { command: 'offboard tag:lab-retired\nretired', requesterId: people.requester.aadObjectId },
      }),
    ]);
  });
});

const BULK = Object.entries(bulkFixtures());
const USER_IDS = [people.requester.teamsId, people.alice.teamsId, people.bob.teamsId];

describe.each(LOCALES)('bulk cards in %s', (locale) => {
  const opts = { now: NOW, locale };

  // Through the route the bot uses: it passes bulkProgress, so the executing card has its ETA.
  it.each(BULK)('%s reads as its snapshot', (_name, r) => {
    expect(reading(renderRequestCard(r, opts))).toMatchSnapshot();
  });

  it.each(['requester', 'approver', 'other'] as const)(
    "awaiting approval, the %s's own view, reads as its snapshot",
    (viewer) => {
      const r = bulkFixtures()['awaiting approval, 1 approval']!;
      const card = renderRequestCard(r, {
        ...opts,
        viewer,
        userIds: USER_IDS,
        approverNames: ['Bob Approver'],
      });
      expect(reading(card)).toMatchSnapshot();
    },
  );

  it('confirm prompt and the note it becomes read as their snapshots', () => {
    const input = {
      count: 120,
      selectors: 'tag:lab-retired',
      command: 'offboard tag:lab-retired',
      requesterId: 'x',
    };
    expect(reading(renderBulkConfirmCard(input, { locale }))).toMatchSnapshot();
    expect(
      reading(renderBulkConfirmedCard({ requestId: 'OFB-LAB120QX', count: 120 }, { locale })),
    ).toMatchSnapshot();
  });
});

describe('bulk card progress', () => {
  const f = bulkFixtures();
  const facts = (card: object) => reading(card).split('\n');

  it('counts every bucket while executing and says when the last device goes, as DATE()/TIME()', () => {
    const r = f['executing, queued with an ETA']!;
    const p = bulkProgress(r, NOW);
    expect(p).toMatchObject({ succeeded: 6, pending: 90, failed: 3, unknown: 1, unsent: 20 });
    // 10 queued until NOW + 40 s; 10 more not yet queued start a minute after them.
    expect(p.etaMs).toBe(NOW + 40_000 + 60_000);
    const lines = facts(renderRequestCard(r, { now: NOW }));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Offboarded: 6',
        'In progress at Defender: 90',
        'Not offboarded: 3',
        'Outcome unknown: 1',
        'Waiting to be sent: 20',
        'The last of the 20 devices waiting is due to be sent ' +
          '{{DATE(2026-11-29T14:06:40Z, SHORT)}} at {{TIME(2026-11-29T14:06:40Z)}} (in 1 min).',
      ]),
    );
  });

  it('shows no ETA once nothing waits', () => {
    expect(reading(renderRequestCard(f.tracking!, { now: NOW }))).not.toContain('due to be sent');
    const executing = f['executing, queued with an ETA']!;
    const own = reading(renderBulkCard(executing, { now: NOW }));
    expect(own).toContain('Waiting to be sent: 20');
    expect(own).toContain('due to be sent');
  });

  it('a cancel after approval names who cancelled, what was stopped and what had gone', () => {
    const s = reading(renderRequestCard(f['cancelled with some sent']!, { now: NOW }));
    expect(s).toContain('Cancelled before sending: 20');
    expect(s).toContain('Cancelled by Riya Requester on');
    expect(s).toContain('20 devices not yet sent were stopped: they stay onboarded.');
    expect(s).toContain('100 devices had already been sent to Defender');
  });

  it.each(BULK)('%s stays well under CARD_MAX_BYTES in Russian, with every view', (_name, r) => {
    const card = renderRequestCard(r, { now: NOW, locale: 'ru', userIds: USER_IDS, viewer: 'requester' });
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES / 2);
  });
});
