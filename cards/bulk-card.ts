/**
 * The card of a request for many devices (issue #14): the same header, comment,
 * approvals and buttons as the request card (its view-model is reused as is), but
 * instead of one fact sheet per device the totals, the devices left out per reason,
 * the OS and device-group breakdown and the first BULK_ROWS devices. Its size does not
 * grow with the number of devices (tested at 500 with long names against CARD_MAX_BYTES).
 */
import { formatNumber, type MessageKey, type Translator } from '../bot/i18n';
import type { Machine } from '../bot/defender/types';
import { BULK_REFUSALS, type BulkRefusal, type OffboardRequest } from '../bot/request/model';
import { bulkProgress, type BulkProgress } from '../bot/request/bulk-progress';
import template from './bulk-card.json';
import { cardTime, cardTimeWithRelative, formatRelative, markdownText, MISSING } from './format';
import type { TextColor } from './state-badge';
import { cardTranslator, loadTemplate, type AdaptiveCardJson } from './render';
import { withViews } from './request-card';
import { requestCardView, type RequestCardView, type RequestRenderOptions } from './request-view';

/** Devices listed by name on the card; the rest are counted. */
export const BULK_ROWS = 15;
/** Refused devices listed by name; the rest are counted. */
export const BULK_REFUSED_ROWS = 10;
/** Lines of a breakdown (OS, group); the smallest are summed as "Other". */
export const BULK_BREAKDOWN_ROWS = 6;

const REASON: Record<BulkRefusal, MessageKey> = {
  unsupported_os: 'bulk.reason.unsupported_os',
  pending_already: 'bulk.reason.pending_already',
  not_found: 'bulk.reason.not_found',
  ambiguous: 'bulk.reason.ambiguous',
  open_request: 'bulk.reason.open_request',
  not_selected: 'bulk.reason.not_selected',
  not_allowed: 'bulk.reason.not_allowed',
};

export const reasonText = (t: Translator, r: BulkRefusal): string => t(REASON[r]);

type Fact = { title: string; value: string };

export interface BulkCardView extends RequestCardView {
  bulk: {
    labels: { byOs: string; byGroup: string; devices: string; refused: string };
    totals: string;
    selectors: string;
    progress: Fact[];
    /** While executing: when the last device should be sent ('' when nothing waits). */
    eta: string;
    /** Cancelled after approval: what had already been sent ('' otherwise). */
    cancelNote: string;
    refusedTotal: string;
    refusedCounts: Fact[];
    byOs: Fact[];
    byGroup: Fact[];
    rows: { text: string }[];
    more: string;
    refused: { text: string }[];
    refusedMore: string;
  };
}

const bulkCard = loadTemplate<BulkCardView>(template, 'bulk-card.json');

const EXECUTION = ['executing', 'tracking', 'completed', 'failed', 'outcome_unknown'];

const osOf = (m: Machine) => [m.osPlatform, m.version].filter(Boolean).join(' ');

/** `[{title: 'Windows11 23H2', value: '80'}, …]`: largest first, the tail summed as Other. */
function breakdown(values: readonly string[], t: Translator): Fact[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const head = sorted.length > BULK_BREAKDOWN_ROWS ? sorted.slice(0, BULK_BREAKDOWN_ROWS - 1) : sorted;
  const rest = sorted.slice(head.length).reduce((n, [, c]) => n + c, 0);
  const facts = head.map(([k, c]) => ({
    title: k ? markdownText(k) : t('bulk.none'),
    value: formatNumber(t.locale, c),
  }));
  return rest ? [...facts, { title: t('bulk.other'), value: formatNumber(t.locale, rest) }] : facts;
}

function selectionLine(r: OffboardRequest, t: Translator): string {
  const b = r.bulk;
  if (!b) return '';
  const selectors = markdownText(b.selectors);
  if (b.listed && b.selectors) return t('bulk.selectedFromList', { listed: b.listed, selectors });
  if (b.listed) return t('bulk.listed', { count: b.listed });
  return b.selectors ? t('bulk.selectedBy', { selectors }) : '';
}

const PROGRESS_KEYS: [keyof Omit<BulkProgress, 'etaMs'>, MessageKey][] = [
  ['succeeded', 'bulk.progress.succeeded'],
  ['pending', 'bulk.progress.pending'],
  ['failed', 'bulk.progress.failed'],
  ['unknown', 'bulk.progress.unknown'],
  ['cancelled', 'bulk.progress.cancelled'],
  ['unsent', 'bulk.progress.unsent'],
];

/** The non-empty buckets as facts, once the request is approved. */
function progressFacts(r: OffboardRequest, p: BulkProgress, t: Translator): Fact[] {
  if (!EXECUTION.includes(r.state)) return [];
  return PROGRESS_KEYS.filter(([k]) => p[k] > 0).map(([k, key]) => ({
    title: t(key),
    value: formatNumber(t.locale, p[k]),
  }));
}

/** When the last unsent device should be sent: the viewer's time (DATE/TIME) and how far off. */
function etaLine(r: OffboardRequest, p: BulkProgress, now: number, t: Translator): string {
  if (r.state !== 'executing' || !p.unsent || p.etaMs === undefined) return '';
  const when = new Date(p.etaMs).toISOString();
  return t('bulk.eta', { count: p.unsent, when: cardTimeWithRelative(when, now, t) });
}

/** A cancel after approval stops the unsent devices only: say how many were stopped and how many had gone. */
function cancelNote(r: OffboardRequest, p: BulkProgress, t: Translator): string {
  if (!r.cancellation || !EXECUTION.includes(r.state)) return '';
  const sent = r.targets.filter((x) => x.execution.actionId || x.execution.error?.unknownOutcome).length;
  const stopped = t('bulk.cancelStopped', { count: p.cancelled });
  return sent ? `${stopped} ${t('bulk.cancelSent', { count: sent })}` : stopped;
}

/**
 * The request card's badge speaks of one device: while executing it names the first queued
 * device's time (the ETA line says when the last goes), and one failure among 140 would read
 * "Failed". Other states keep it.
 */
function badge(
  r: OffboardRequest,
  p: BulkProgress,
  t: Translator,
): { badge?: string; badgeColor?: TextColor } {
  if (r.state === 'executing') return { badge: t('card.badge.executing') };
  const troubled = p.failed + p.unknown;
  if (r.state === 'completed' && p.succeeded > 0 && troubled > 0)
    return { badge: t('bulk.badge.someFailed', { count: troubled }), badgeColor: 'warning' };
  return {};
}

function bulkSummary(r: OffboardRequest, fallback: string, t: Translator): string {
  switch (r.state) {
    case 'executing':
      return t('bulk.summary.executing');
    case 'tracking':
      return t('bulk.summary.tracking');
    case 'completed':
    case 'failed':
    case 'outcome_unknown':
      // The single-device sentences name every device (outcome unknown): too long here.
      return t('bulk.summary.done');
    default:
      return fallback;
  }
}

export function bulkCardView(request: OffboardRequest, opts: RequestRenderOptions): BulkCardView {
  const t = cardTranslator(opts);
  // The request card's view (header, comment, approvals, buttons); its per-device sheets are dropped.
  const base = requestCardView(request, opts);
  const progress = bulkProgress(request, opts.now);
  const header = {
    ...base.header,
    title: t('card.titleMany', { count: request.targets.length }),
    ...badge(request, progress, t),
  };
  const machines = request.targets.map((x) => x.machine);
  const b = request.bulk;
  const refusedTotal = BULK_REFUSALS.reduce((n, r) => n + (b?.refusedCounts[r] ?? 0), 0);
  const shownRefused = (b?.refused ?? []).slice(0, BULK_REFUSED_ROWS);
  const cancelledAfterApproval = Boolean(request.cancellation) && EXECUTION.includes(request.state);
  return {
    ...base,
    header,
    summary:
      request.state === 'expired'
        ? t('bulk.summary.expired', { when: cardTime(request.expiresAt, t) })
        : bulkSummary(request, base.summary, t),
    labels: { ...base.labels, warning: t('bulk.warning'), commentLabel: t('bulk.commentLabel') },
    show: { ...base.show, cancelled: base.show.cancelled || cancelledAfterApproval },
    targets: [],
    bulk: {
      labels: {
        byOs: t('bulk.byOs'),
        byGroup: t('bulk.byGroup'),
        devices: t('bulk.devices'),
        refused: t('bulk.refused'),
      },
      totals: t('bulk.totals', { count: request.targets.length }),
      selectors: selectionLine(request, t),
      progress: progressFacts(request, progress, t),
      eta: etaLine(request, progress, opts.now, t),
      cancelNote: cancelNote(request, progress, t),
      refusedTotal: refusedTotal ? t('bulk.refusedTotal', { count: refusedTotal }) : '',
      refusedCounts: BULK_REFUSALS.filter((r) => b?.refusedCounts[r]).map((r) => ({
        title: reasonText(t, r),
        value: formatNumber(t.locale, b!.refusedCounts[r] ?? 0),
      })),
      byOs: breakdown(machines.map(osOf), t),
      byGroup: breakdown(
        machines.map((m) => m.rbacGroupName ?? ''),
        t,
      ),
      rows: machines.slice(0, BULK_ROWS).map((m) => ({
        text: t('bulk.row', {
          name: markdownText(m.computerDnsName),
          os: markdownText(osOf(m)) || MISSING,
          group: m.rbacGroupName ? markdownText(m.rbacGroupName) : MISSING,
          lastSeen: formatRelative(m.lastSeen, opts.now, t) || MISSING,
        }),
      })),
      more: machines.length > BULK_ROWS ? t('bulk.more', { count: machines.length - BULK_ROWS }) : '',
      refused: shownRefused.map((x) => ({
        text: t('bulk.refusedRow', { name: markdownText(x.name), reason: reasonText(t, x.reason) }),
      })),
      refusedMore:
        refusedTotal > shownRefused.length
          ? t('bulk.refusedMore', { count: refusedTotal - shownRefused.length })
          : '',
    },
  };
}

/** With the same refresh (user-specific views) as the request card. */
export function renderBulkCard(request: OffboardRequest, opts: RequestRenderOptions): AdaptiveCardJson {
  return withViews(bulkCard.expand(bulkCardView(request, opts)), request, opts);
}
