import {
  recordAction,
  recordCheckFailed,
  recordFailure,
  recordQueued,
  recordRetry,
  recordStatus,
} from '../../bot/request/transitions';
import {
  needsCardUpdate,
  needsFinalNotice,
  recordCardPosted,
  recordCardShown,
  recordFinalNotice,
} from '../../bot/request/delivery-state';
import { compareAndSet } from '../../bot/offboarding/compare-and-set';
import { createMemoryStore } from '../../bot/store';
import { findOffboard, OFFBOARD_CLOCK_SKEW_MS } from '../../bot/defender/offboard';
import type { MachineAction } from '../../bot/defender/types';
import type { OffboardRequest } from '../../bot/request/model';
import { at, machine, NOW, request, target } from '../fakes/requests';
import { renderRequestCard } from '../../cards/request-card';
import { cutAt, defenderComment, DEFENDER_COMMENT_MAX } from '../../bot/offboarding/provenance';

/** The pure transitions of bot/request and the one compare-and-set helper. */
const ID = machine().id;
const executing = (): OffboardRequest =>
  request({ state: 'executing', targets: [target(machine(), { startedAt: at(0) })] });
const exec = (r: OffboardRequest) => r.targets[0]!.execution;
const error = { code: 'ServerError', message: 'Defender answered 503.', target: 'corr-1' };

describe('execution transitions', () => {
  test('recordQueued stores the estimated start and a history entry', () => {
    const r = recordQueued(executing(), ID, NOW, NOW + 90_000);
    expect(exec(r).queuedUntil).toBe(at(90_000));
    expect(r.history.at(-1)).toMatchObject({ event: 'queued', detail: { machineId: ID, until: at(90_000) } });
  });

  test('recordAction moves to tracking with the first check scheduled', () => {
    const queued = recordQueued(executing(), ID, NOW, NOW + 1000);
    const r = recordAction(queued, ID, NOW, { id: 'a-1', status: 'Pending' }, NOW + 10_000, false);
    expect(r.state).toBe('tracking');
    expect(exec(r)).toMatchObject({
      actionId: 'a-1',
      actionStatus: 'Pending',
      nextCheckAt: at(10_000),
      checks: 0,
    });
    expect(exec(r).queuedUntil).toBeUndefined();
    expect(r.history.at(-1)?.event).toBe('action_created');
    expect(
      recordAction(executing(), ID, NOW, { id: 'a-1', status: 'Pending' }, NOW, true).history.at(-1)?.event,
    ).toBe('action_found');
  });

  test('recordStatus records a change once, and a final status completes the request', () => {
    const tracking = recordAction(executing(), ID, NOW, { id: 'a-1', status: 'Pending' }, NOW, false);
    const same = recordStatus(tracking, ID, NOW + 1, 'Pending', NOW + 20_000);
    expect(same.history).toHaveLength(tracking.history.length);
    expect(exec(same).checks).toBe(1);
    const done = recordStatus(same, ID, NOW + 2, 'Succeeded', undefined);
    expect(done.state).toBe('completed');
    expect(done.history.map((h) => h.event).slice(-2)).toEqual(['status_changed', 'completed']);
    expect(exec(done).nextCheckAt).toBeUndefined();
  });

  test('recordFailure fails the request when no target has an action', () => {
    const r = recordFailure(executing(), ID, NOW, error);
    expect(r.state).toBe('failed');
    expect(exec(r).error).toEqual(error);
    expect(r.history.map((h) => h.event).slice(-2)).toEqual(['refused', 'failed']);
  });

  test('recordRetry keeps the request executing with the attempt, error and next try', () => {
    const r = recordRetry(executing(), ID, NOW, error, 3, NOW + 80_000);
    expect(r.state).toBe('executing');
    expect(exec(r)).toMatchObject({ attempts: 3, retryAt: at(80_000), lastError: error });
    expect(r.history.at(-1)).toMatchObject({
      event: 'call_failed',
      actor: 'system',
      detail: { machineId: ID, code: 'ServerError', target: 'corr-1', attempt: 3, retryAt: at(80_000) },
    });
    expect(r.updatedAt).toBe(at(0));
  });

  test('recordCheckFailed keeps tracking; the status stays what it was', () => {
    const tracking = recordAction(executing(), ID, NOW, { id: 'a-1', status: 'Pending' }, NOW, false);
    const r = recordCheckFailed(tracking, ID, NOW + 5, error, 2, NOW + 40_000);
    expect(r.state).toBe('tracking');
    expect(exec(r)).toMatchObject({
      actionStatus: 'Pending',
      checks: 2,
      lastError: error,
      nextCheckAt: at(40_000),
    });
    expect(r.history).toHaveLength(tracking.history.length);
  });

  test('transitions never change their input', () => {
    const before = executing();
    const copy = JSON.parse(JSON.stringify(before));
    recordRetry(before, ID, NOW, error, 1, NOW);
    recordFailure(before, ID, NOW, error);
    expect(before).toEqual(copy);
  });
});

describe('delivery bookkeeping', () => {
  const done = () => ({ ...recordFailure(executing(), ID, NOW, error), version: 7 });

  test('a card shown from the current version stays up to date after its own write', () => {
    const r = recordCardShown(done(), 7);
    expect(r.delivery?.cardShownVersion).toBe(8);
    expect(needsCardUpdate({ ...r, version: 8 })).toBe(false);
  });

  test('a card rendered from an older version still needs an update', () => {
    const r = recordCardPosted(done(), 'card-1', 6);
    expect(r.conversation.cardActivityId).toBe('card-1');
    expect(needsCardUpdate({ ...r, version: 8 })).toBe(true);
  });

  test('the final notice is owed once, and recording it keeps an up-to-date card so', () => {
    const shown = { ...recordCardShown(done(), 7), version: 8 };
    expect(needsFinalNotice(shown)).toBe(true);
    const noticed = { ...recordFinalNotice(shown, NOW), version: 9 };
    expect(noticed.delivery?.finalNoticeAt).toBe(at(0));
    expect(needsFinalNotice(noticed)).toBe(false);
    expect(needsCardUpdate(noticed)).toBe(false);
  });
});

describe('compareAndSet', () => {
  test('applies the plan to the freshest copy after a conflict, and returns its result', async () => {
    const store = createMemoryStore();
    const created = await store.create(request({ comment: 'first' }));
    let calls = 0;
    const outcome = await compareAndSet(store, created.id, (cur) => {
      calls++;
      // Someone else writes between our read and our write, once.
      if (calls === 1) void store.update({ ...cur, comment: 'theirs' });
      return { next: { ...cur, comment: `${cur.comment}+ours` }, result: calls };
    });
    expect(outcome).toMatchObject({ found: true, written: true, result: 2 });
    expect((await store.get(created.id))?.comment).toBe('theirs+ours');
  });

  test('no write when the plan has none; missing requests are reported', async () => {
    const store = createMemoryStore();
    const created = await store.create(request());
    const outcome = await compareAndSet(store, created.id, () => ({ result: 'nothing' }));
    expect(outcome).toMatchObject({ found: true, written: false, result: 'nothing', request: created });
    expect(await compareAndSet(store, 'OFB-MISSING1', () => ({ result: 1 }))).toEqual({ found: false });
  });
});

describe('findOffboard: the one "an offboard is already on this device" predicate', () => {
  const action = (o: Partial<MachineAction>): MachineAction =>
    ({ id: 'x', type: 'Offboard', status: 'Succeeded', machineId: ID, ...o }) as MachineAction;

  test('an active Offboard is found; other types and finished ones are not', () => {
    expect(findOffboard([action({ id: 'p', status: 'Pending' })])?.id).toBe('p');
    expect(findOffboard([action({ id: 'i', status: 'InProgress' })])?.id).toBe('i');
    expect(
      findOffboard([action({ status: 'Succeeded' }), action({ type: 'Isolate', status: 'Pending' })]),
    ).toBe(undefined);
  });

  test('with a start time, a finished one created since (less the skew) is ours; the newest wins', () => {
    const since = NOW - OFFBOARD_CLOCK_SKEW_MS;
    const old = action({ id: 'old', creationDateTimeUtc: new Date(since - 1).toISOString() });
    const ours = action({ id: 'ours', status: 'Failed', creationDateTimeUtc: new Date(since).toISOString() });
    const newer = action({ id: 'newer', creationDateTimeUtc: new Date(since + 10).toISOString() });
    expect(findOffboard([old], since)).toBe(undefined);
    expect(findOffboard([old, ours, newer], since)?.id).toBe('newer');
  });
});

describe('text that reaches cards and Defender', () => {
  test('bidi controls and zero-width characters never reach a card from names, tags or groups', () => {
    const sneaky = '\u202ews-042\u200b\u2066.contoso\u2069\ufeff';
    const card = JSON.stringify(
      renderRequestCard(
        request({
          requester: { aadObjectId: 'a1', name: 'Al\u202eex\u200d', teamsId: '29:a' },
          targets: [
            target(
              machine({
                computerDnsName: sneaky,
                machineTags: ['lab\u2067'],
                rbacGroupName: 'Work\u061cstations',
              }),
            ),
          ],
        }),
        { now: NOW },
      ),
    );
    expect(card).not.toMatch(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/);
    expect(card).toContain('ws-042.contoso');
    expect(card).toContain('Alex');
  });

  test('a long comment is shortened for Defender without splitting a surrogate pair', () => {
    const comment = '😀'.repeat(600);
    const text = defenderComment(request({ comment, approvals: [] }));
    expect(text.length).toBeLessThanOrEqual(DEFENDER_COMMENT_MAX);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(cutAt('a😀b', 2)).toBe('a');
  });
});
