/**
 * "Several devices match": the bot never guesses between devices (docs/architecture.md,
 * flow step 3), it asks. Each device gets its own button whose data carries only the
 * device id; the route re-reads the device from Defender, never trusting card data.
 */
import type { Machine } from '../bot/defender/types';
import type { Translator } from '../bot/i18n';
import { around, runText } from './format';
import { machineLabels, machineView, type MachineView } from './machine-view';
import { cardTranslator, loadTemplate, type AdaptiveCardJson, type RenderOptions } from './render';
import { VERBS } from './verbs';
import template from './choose-device-card.json';

/** Ten devices keep the card short and far under the size budget (render.ts). */
export const CHOOSE_DEVICE_MAX = 10;

function labels(t: Translator) {
  return {
    match: around(t('card.choose.match'), 'query'),
    hint: t('card.choose.hint'),
    facts: machineLabels(t),
    choose: t('card.button.choose'),
  };
}

export interface ChooseDeviceCardView {
  labels: ReturnType<typeof labels>;
  verbs: typeof VERBS;
  /** What the person typed: plain text, shown in a TextRun. */
  query: string;
  machines: MachineView[];
  /** '' when every match is listed. */
  more: string;
}

export function chooseDeviceCardView(
  query: string,
  machines: Machine[],
  opts: RenderOptions,
): ChooseDeviceCardView {
  const listed = machines.slice(0, CHOOSE_DEVICE_MAX);
  const hidden = machines.length - listed.length;
  const t = cardTranslator(opts);
  return {
    labels: labels(t),
    verbs: VERBS,
    query: runText(query),
    machines: listed.map((m) => machineView(m, opts.now, t)),
    more: hidden > 0 ? t('card.choose.more', { count: hidden }) : '',
  };
}

const chooseDeviceCard = loadTemplate<ChooseDeviceCardView>(template, 'choose-device-card.json');

export function renderChooseDeviceCard(
  query: string,
  machines: Machine[],
  opts: RenderOptions,
): AdaptiveCardJson {
  return chooseDeviceCard.expand(chooseDeviceCardView(query, machines, opts));
}
