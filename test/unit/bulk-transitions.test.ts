import {
  cancelUnsent,
  ensureStarted,
  recordAction,
  recordFailure,
  recordQueuedMany,
  recordStatus,
  recordUnknownOutcome,
  TARGET_CANCELLED,
} from '../../bot/request/transitions';
import { bulkProgress, targetOutcome, troubledTargets } from '../../bot/request/bulk-progress';
import {
  bulkFinalNotice,
  bulkStoppedText,
  failedListText,
  progressLine,
} from '../../bot/offboarding/bulk-notices';
import { translator } from '../../bot/i18n';
import type { OffboardRequest } from '../../bot/request/model';
import { at, machine, NOW, people, request, target } from '../fakes/requests';

/** The execution transitions with many targets, and the counts and texts built from them. */
const hex = (i: number) => i.toString(16).padStart(40, '0');
const ids = (n: number) => Array.from({ length: n }, (_, i) => hex(i + 1));
const bulk = (n: number): OffboardRequest =>
  request({
    id: 'OFB-BULK0001',
    state: 'executing',
    targets: ids(n).map((id, i) =>
      target(machine({ id, computerDnsName: `ws-${i + 1}.contoso.local` }), { startedAt: at(0) }),
    ),
  });
const act = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  status: 'Pending' as const,
});
const err = { code: 'MachineNotFound', message: 'Defender does not know this device.' };
const exec = (r: OffboardRequest, i: number) => r.targets[i]!.execution;

describe('bulk transitions', () => {
  test('the request stays executing until every target is sent or ended, then tracks', () => {
    const [a, b, c] = ids(3);
    let r = recordAction(bulk(3), a!, NOW, act(1), NOW + 10_000, false);
    expect(r.state).toBe('executing');
    r = recordFailure(r, b!, NOW, err);
    expect(r.state).toBe('executing');
    r = recordAction(r, c!, NOW, act(3), NOW + 10_000, true);
    expect(r.state).toBe('tracking');
    expect(r.history.map((h) => h.event)).toEqual(['action_created', 'refused', 'action_found']);
  });

  test('one failure never stops the others; settle keeps every result', () => {
    const [a, b, c] = ids(3);
    let r = recordAction(bulk(3), a!, NOW, act(1), NOW, false);
    r = recordFailure(r, b!, NOW, err);
    r = recordAction(r, c!, NOW, act(3), NOW, false);
    r = recordStatus(r, a!, NOW, 'Succeeded', undefined);
    expect(r.state).toBe('tracking');
    r = recordStatus(r, c!, NOW, 'Failed', undefined);
    expect(r.state).toBe('completed');
    expect(r.targets.map(targetOutcome)).toEqual(['succeeded', 'failed', 'failed']);
    expect(exec(r, 1).error).toEqual(err);
  });

  test('no action at all: failed; any unknown outcome: outcome_unknown', () => {
    const [a, b] = ids(2);
    expect(recordFailure(recordFailure(bulk(2), a!, NOW, err), b!, NOW, err).state).toBe('failed');
    const unknown = recordUnknownOutcome(recordAction(bulk(2), a!, NOW, act(1), NOW, false), b!, NOW, {
      code: 'OutcomeUnknown',
      message: 'no answer',
    });
    expect(unknown.state).toBe('tracking');
    expect(recordStatus(unknown, a!, NOW, 'Succeeded', undefined).state).toBe('outcome_unknown');
  });

  test('queue estimates of many targets are one write with one history entry', () => {
    const [a, b, c] = ids(3);
    const r = recordQueuedMany(
      recordFailure(bulk(3), c!, NOW, err),
      new Map([
        [a!, NOW + 60_000],
        [b!, NOW + 90_000],
        [c!, NOW + 99_000],
      ]),
      NOW,
    );
    expect([exec(r, 0).queuedUntil, exec(r, 1).queuedUntil, exec(r, 2).queuedUntil]).toEqual([
      at(60_000),
      at(90_000),
      undefined,
    ]);
    expect(r.history).toHaveLength(2);
    expect(r.history.at(-1)).toMatchObject({ event: 'queued', detail: { targets: 2, until: at(90_000) } });
  });

  test('cancel after approval marks only the unsent targets; the sent ones are tracked', () => {
    const [a] = ids(3);
    const by = people.requester;
    const r = cancelUnsent(recordAction(bulk(3), a!, NOW, act(1), NOW, false), NOW, by);
    expect(r.state).toBe('tracking');
    expect(r.targets.map(targetOutcome)).toEqual(['pending', 'cancelled', 'cancelled']);
    expect(exec(r, 1).error).toMatchObject({
      code: TARGET_CANCELLED,
      key: 'notice.error.cancelledBeforeSend',
      params: { name: by.name },
      message: `Cancelled by ${by.name} before it was sent to Defender.`,
    });
    expect(r.cancellation?.by.aadObjectId).toBe(by.aadObjectId);
    // Nothing sent at all: the request is cancelled.
    expect(cancelUnsent(bulk(2), NOW, by).state).toBe('cancelled');
    // A POST that raced with the cancel is still recorded and followed.
    const raced = recordAction(cancelUnsent(bulk(2), NOW, by), a!, NOW, act(1), NOW, false);
    expect(raced.state).toBe('tracking');
    expect(targetOutcome(raced.targets[0]!)).toBe('pending');
  });

  test('ensureStarted stores startedAt only where it is missing', () => {
    const r = bulk(2);
    r.targets[1]!.execution = {};
    const next = ensureStarted(r, NOW + 5);
    expect(next.targets.map((t) => t.execution.startedAt)).toEqual([at(0), at(5)]);
    expect(ensureStarted(next, NOW + 9)).toBe(next);
  });
});

describe('bulk progress', () => {
  test('every target is counted once; the ETA covers the ones not queued yet', () => {
    const [a, b, c, d] = ids(6);
    let r = recordAction(bulk(6), a!, NOW, act(1), NOW, false);
    r = recordStatus(r, a!, NOW, 'Succeeded', undefined);
    r = recordAction(r, b!, NOW, act(2), NOW, false);
    r = recordFailure(r, c!, NOW, err);
    r = recordQueuedMany(r, new Map([[d!, NOW + 30_000]]), NOW);
    const p = bulkProgress(r, NOW);
    expect(p).toEqual({
      total: 6,
      succeeded: 1,
      pending: 1,
      failed: 1,
      unknown: 0,
      cancelled: 0,
      unsent: 3,
      etaMs: NOW + 30_000 + 60_000,
    });
    expect(troubledTargets(r).map((x) => x.target.machineId)).toEqual([c]);
    expect(progressLine(translator('en'), p)).toBe(
      '1 offboarded · 1 pending · 1 failed · 0 unknown · 3 not sent yet',
    );
  });
});

describe('bulk texts', () => {
  const finished = (failures: number, total: number) => {
    let r = bulk(total);
    r.targets.forEach((t, i) => {
      r =
        i < failures
          ? recordFailure(r, t.machineId, NOW, { ...err, target: `corr-${i}` })
          : recordStatus(
              recordAction(r, t.machineId, NOW, act(i), NOW, false),
              t.machineId,
              NOW,
              'Succeeded',
              undefined,
            );
    });
    return r;
  };

  test('the final reply counts, lists 30 failures and points at `status … failed` for the rest', () => {
    const r = finished(40, 45);
    expect(r.state).toBe('completed');
    const text = bulkFinalNotice(r, translator('en'));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Request OFB-BULK0001 is finished (45 devices).');
    expect(text).toContain('✅ Offboarded: 5');
    expect(text).toContain('❌ Not offboarded: 40');
    expect(lines.filter((l) => l.startsWith('- ws-'))).toHaveLength(30);
    expect(text).toContain('- ws-1.contoso.local: Defender does not know this device. (corr-0)');
    expect(lines.at(-1)).toBe('…and 10 more (`status OFB-BULK0001 failed` lists them all).');
    const list = failedListText(r, translator('en'));
    expect(list.split('\n').filter((l) => l.startsWith('- ws-'))).toHaveLength(40);
  });

  test('Russian: plural forms and the same structure', () => {
    const r = finished(2, 5);
    const text = bulkFinalNotice(r, translator('ru'));
    expect(text).toContain('Запрос OFB-BULK0001 выполнен (5 устройств).');
    expect(text).toContain('❌ Не выведено: 2');
    expect(failedListText(r, translator('ru'))).toContain('2 устройства не выведены');
    expect(failedListText(finished(0, 2), translator('ru'))).toBe(
      'Запрос OFB-BULK0001: пока ни одного устройства с ошибкой.',
    );
  });

  test('the cancel reply says what was stopped and what was already sent', () => {
    const r = bulk(3);
    const t = translator('en');
    expect(bulkStoppedText(t, { kind: 'bulk_stopped', request: r, stopped: 2, sent: 1 })).toBe(
      '2 devices of request OFB-BULK0001 were not sent yet: they are cancelled and will not be sent. ' +
        '1 device was already sent to Defender and follows its course (the card shows it).',
    );
    expect(bulkStoppedText(t, { kind: 'bulk_stopped', request: r, stopped: 0, sent: 3 })).toContain(
      'there is nothing left to stop',
    );
  });
});
