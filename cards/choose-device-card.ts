/**
 * "Several devices match": the bot never guesses between devices (docs/architecture.md,
 * flow step 3), it asks. Each device gets its own button whose data carries only the
 * device id; the route re-reads the device from Defender, never trusting card data.
 */
import type { Machine } from '../bot/defender/types';
import { plural, runText } from './format';
import { machineView, type MachineView } from './machine-view';
import { loadTemplate, type AdaptiveCardJson, type RenderOptions } from './render';
import { VERBS } from './verbs';
import template from './choose-device-card.json';

/** Ten devices keep the card short and far under the size budget (render.ts). */
export const CHOOSE_DEVICE_MAX = 10;

export interface ChooseDeviceCardView {
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
  return {
    verbs: VERBS,
    query: runText(query),
    machines: listed.map((m) => machineView(m, opts.now, opts.timeZone)),
    more:
      hidden > 0
        ? `And ${plural(hidden, 'more device', 'more devices')}: use the device id to pick one of them.`
        : '',
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
