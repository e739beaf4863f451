/**
 * "Offboard 120 devices?": asked when a selector alone (no list, no `inactive:`) selects
 * more than BULK_CONFIRM_OVER devices. Confirming opens the request with the devices
 * found at that moment; only the requester may confirm (bot/teams/bulk-open.ts).
 */
import { markdownText } from './format';
import { cardTranslator, loadTemplate, type AdaptiveCardJson, type RenderOptions } from './render';
import template from './bulk-confirm-card.json';
import { BULK_VERBS } from './bulk-verbs';

interface ConfirmView {
  title: string;
  text: string;
  warning: string;
  button: string;
  verb: string;
  command: string;
  requesterId: string;
}

const confirmCard = loadTemplate<ConfirmView>(template, 'bulk-confirm-card.json');

export function renderBulkConfirmCard(
  input: { count: number; selectors: string; command: string; requesterId: string },
  opts: Pick<RenderOptions, 'locale'> = {},
): AdaptiveCardJson {
  const t = cardTranslator(opts);
  return confirmCard.expand({
    title: t('bulk.confirm.title', { count: input.count }),
    text: t('bulk.confirm.text', { count: input.count, selectors: markdownText(input.selectors) }),
    warning: t('bulk.warning'),
    button: t('bulk.confirm.button'),
    verb: BULK_VERBS.confirm,
    command: input.command,
    requesterId: input.requesterId,
  });
}

/** The prompt once confirmed: says which request was opened, and has no button left to click twice. */
export function renderBulkConfirmedCard(
  input: { requestId: string; count: number },
  opts: Pick<RenderOptions, 'locale'> = {},
): AdaptiveCardJson {
  const t = cardTranslator(opts);
  return confirmCard.expand({
    title: t('bulk.confirm.opened', { id: markdownText(input.requestId), count: input.count }),
    text: '',
    warning: '',
    button: '',
    verb: BULK_VERBS.confirm,
    command: '',
    requesterId: '',
  });
}
