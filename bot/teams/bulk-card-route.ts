/**
 * Which card a request gets: the bulk card when it has more than one target, else the
 * request card. handlers.ts and notifier.ts import `renderRequestCard` from here.
 */
import type { OffboardRequest } from '../request/model';
import type { AdaptiveCardJson } from '../../cards/render';
import { renderRequestCard as renderOne } from '../../cards/request-card';
import { renderBulkCard } from '../../cards/bulk-card';
import type { RequestRenderOptions } from '../../cards/request-view';

export function renderRequestCard(request: OffboardRequest, opts: RequestRenderOptions): AdaptiveCardJson {
  return request.targets.length > 1 ? renderBulkCard(request, opts) : renderOne(request, opts);
}
