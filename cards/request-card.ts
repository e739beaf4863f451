/**
 * The request's one card for its whole life: the state picks which parts of
 * request-card.json show (`$when` on `show.*`) and which buttons it carries. While the
 * request is open and the Teams ids of its requester and approvers are known, the card
 * carries `refresh.userIds` (Universal Actions user-specific views, at most 60 people):
 * Teams asks the bot for each listed person's own view (`viewer`), and the shared card
 * shows no buttons. Without ids (the Playground does not support `refresh.userIds`,
 * docs/playground.md) everyone sees the same card and buttons. Either way who may do
 * what is decided by the policy when a button is pressed, never by the card.
 */
import type { OffboardRequest } from '../bot/request/model';
import { loadTemplate, type AdaptiveCardJson } from './render';
import { requestCardView, type RequestCardView, type RequestRenderOptions } from './request-view';
import template from './request-card.json';
import { VERBS } from './verbs';

const requestCard = loadTemplate<RequestCardView>(template, 'request-card.json');

/** Teams renders user-specific views for at most this many people. */
export const MAX_VIEW_USERS = 60;

export function renderRequestCard(request: OffboardRequest, opts: RequestRenderOptions): AdaptiveCardJson {
  return withViews(requestCard.expand(requestCardView(request, opts)), request, opts);
}

/** While a request is open, its viewers get their own view through `refresh` (Universal Actions). */
export function withViews(
  card: AdaptiveCardJson,
  request: OffboardRequest,
  opts: RequestRenderOptions,
): AdaptiveCardJson {
  const open = request.state === 'draft' || request.state === 'awaiting_approval';
  const userIds = (opts.userIds ?? []).slice(0, MAX_VIEW_USERS);
  if (!open || !userIds.length) return card;
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', verb: VERBS.refresh, data: { requestId: request.id } },
      userIds,
    },
  };
}
