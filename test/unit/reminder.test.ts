import { needsReminder, recordReminder, submittedAt } from '../../bot/request/delivery-state';
import { MAX_REMINDER_MENTIONS, reminderNotice } from '../../bot/offboarding/notices';
import { NOW, at, request } from '../fakes/requests';
import { translator } from '../../bot/i18n';

const HOUR = 3600_000;
const waiting = (submittedMsAgo: number) =>
  request({
    state: 'awaiting_approval',
    history: [{ at: at(-submittedMsAgo), event: 'submitted', actor: 'x' }],
  });

describe('needsReminder', () => {
  it('is due once REMINDER_AFTER_MINUTES have passed since submission', () => {
    expect(needsReminder(waiting(59 * 60_000), NOW, HOUR)).toBe(false);
    expect(needsReminder(waiting(HOUR), NOW, HOUR)).toBe(true);
    expect(submittedAt(waiting(HOUR))).toBe(NOW - HOUR);
  });

  it('is not due again once recorded, nor outside awaiting_approval', () => {
    const r = waiting(2 * HOUR);
    expect(needsReminder(recordReminder(r, NOW), NOW, HOUR)).toBe(false);
    for (const state of ['draft', 'executing', 'expired', 'rejected'] as const)
      expect(needsReminder({ ...r, state }, NOW, HOUR)).toBe(false);
  });

  it('keeps an up-to-date card marked so: the reminder changes nothing the card shows', () => {
    const r = { ...waiting(2 * HOUR), version: 4, delivery: { cardShownVersion: 4 } };
    expect(recordReminder(r, NOW).delivery).toEqual({
      cardShownVersion: 5,
      reminderAt: new Date(NOW).toISOString(),
    });
    const stale = { ...r, delivery: { cardShownVersion: 3 } };
    expect(recordReminder(stale, NOW).delivery?.cardShownVersion).toBe(3);
  });
});

describe('reminderNotice', () => {
  const r = waiting(2 * HOUR);
  const base = { approvalsMissing: 2, ruleSummary: 'Servers: 2 approvals from Server Owners', now: NOW };

  it('addresses the mentioned approvers', () => {
    expect(reminderNotice(r, { ...base, mentioned: 3, candidates: 3 })).toBe(
      `Reminder: request ${r.id} to offboard ${r.targets[0]!.computerDnsName} still needs 2 more approvals and expires in about 24 h. You may approve or reject it on the card above.`,
    );
  });

  it('names the rule when there are too many to mention, and says so when none is known', () => {
    const many = reminderNotice(r, { ...base, mentioned: 0, candidates: MAX_REMINDER_MENTIONS + 1 });
    expect(many).toMatch(/Approvers under "Servers: 2 approvals from Server Owners" may approve/);
    expect(many).not.toMatch(/could be @mentioned/);
    expect(reminderNotice(r, { ...base, mentioned: 0, candidates: 0 })).toMatch(
      /none of them could be @mentioned/,
    );
  });
});

describe('reminderNotice in Russian', () => {
  const r = waiting(2 * HOUR);
  const ru = translator('ru');
  const say = (approvalsMissing: number) =>
    reminderNotice(
      r,
      { approvalsMissing, ruleSummary: 'Серверы', mentioned: 1, candidates: 1, now: NOW },
      ru,
    );

  it('counts approvals with the right plural form', () => {
    expect(say(1)).toMatch(/ещё нужно 1 утверждение;/);
    expect(say(3)).toMatch(/ещё нужно 3 утверждения;/);
    expect(say(5)).toMatch(/ещё нужно 5 утверждений;/);
    expect(say(21)).toMatch(/ещё нужно 21 утверждение;/);
    expect(say(1)).toBe(
      `Напоминание: запросу ${r.id} на вывод из Defender ${r.targets[0]!.computerDnsName} ещё нужно 1 утверждение; ` +
        'срок истекает примерно через 24 ч. Утвердить или отклонить его можно на карточке выше.',
    );
  });
});
