/**
 * The request's one card for its whole life: the state picks which parts of
 * request-card.json show (`$when` on `show.*`) and which buttons it carries. Every
 * version is complete on its own: no `refresh.userIds` per-user views, which Teams limits
 * to 60 users (Universal Actions, "user-specific views") and the local Playground does
 * not support (docs/playground.md). Everyone sees the same card and buttons; who may do
 * what is decided by the policy when a button is pressed, never by the card.
 */
import type { OffboardRequest } from '../bot/request/model';
import { loadTemplate, type AdaptiveCardJson } from './render';
import { requestCardView, type RequestCardView, type RequestRenderOptions } from './request-view';
import template from './request-card.json';

const requestCard = loadTemplate<RequestCardView>(template, 'request-card.json');

export function renderRequestCard(request: OffboardRequest, opts: RequestRenderOptions): AdaptiveCardJson {
  return requestCard.expand(requestCardView(request, opts));
}
