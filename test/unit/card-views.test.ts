import { renderRequestCard, MAX_VIEW_USERS } from '../../cards/request-card';
import { VERBS } from '../../cards/verbs';
import { NOW, request } from '../fakes/requests';

const verbsOf = (card: unknown) =>
  [...JSON.stringify(card).matchAll(/"verb":"([a-zA-Z.]+)"/g)].map((m) => m[1]);
const awaiting = request({ state: 'awaiting_approval', comment: 'stolen' });
const ids = ['29:riya', '29:alice', '29:bob'];

describe('user-specific views of the request card', () => {
  it('keeps the shared card and its buttons when no viewers are known (the Playground)', () => {
    const card = renderRequestCard(awaiting, { now: NOW });
    expect(card.refresh).toBeUndefined();
    expect(verbsOf(card)).toEqual(expect.arrayContaining([VERBS.approve, VERBS.reject, VERBS.cancel]));
  });

  it('lists the viewers and drops the buttons from the shared card', () => {
    const card = renderRequestCard(awaiting, { now: NOW, userIds: ids });
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: VERBS.refresh, data: { requestId: awaiting.id } },
      userIds: ids,
    });
    expect(verbsOf(card)).toEqual([VERBS.refresh]);
  });

  it('gives approvers Approve/Reject, the requester Cancel, anyone else no buttons', () => {
    const view = (viewer: 'approver' | 'requester' | 'other') =>
      verbsOf(renderRequestCard(awaiting, { now: NOW, userIds: ids, viewer })).filter(
        (v) => v !== VERBS.refresh,
      );
    expect(view('approver')).toEqual([VERBS.approve, VERBS.reject]);
    expect(view('requester')).toEqual([VERBS.cancel]);
    expect(view('other')).toEqual([]);
  });

  it('lists at most 60 viewers, and none once the request is no longer open', () => {
    const many = Array.from({ length: 70 }, (_, i) => `29:u${i}`);
    expect(
      (renderRequestCard(awaiting, { now: NOW, userIds: many }).refresh as { userIds: string[] }).userIds,
    ).toHaveLength(MAX_VIEW_USERS);
    expect(
      renderRequestCard({ ...awaiting, state: 'rejected' }, { now: NOW, userIds: ids }).refresh,
    ).toBeUndefined();
  });
});
