/**
 * Chat text for help and usage hints (Teams markdown), in the reader's language
 * (docs/i18n.md). The command words stay English: they are what people type.
 * Placeholders are written `{device}`, not `<device>`: Teams may read angle brackets
 * as HTML and drop them.
 */
import { translator, type Translator } from '../i18n';
import { MAX_COMMENT_CHARS } from './limits';

/** The words shown inside `{…}` in usage lines. */
const args = (t: Translator) => ({
  device: t('help.argDevice'),
  comment: t('help.argComment'),
  requestId: t('help.argRequestId'),
  tag: t('help.argTag'),
  deviceGroup: t('help.argDeviceGroup'),
  N: '{N}',
});

export const offboardUsage = (t: Translator) => t('help.offboardUsage', args(t));
export const statusUsage = (t: Translator) => t('help.statusUsage', args(t));
export const pendingUsage = (t: Translator) => t('help.pendingUsage');
export const cancelUsage = (t: Translator) => t('help.cancelUsage', args(t));
export const bulkUsage = (t: Translator) => t('help.bulkUsage', args(t));

export function helpText(t: Translator): string {
  const a = { ...args(t), max: String(MAX_COMMENT_CHARS) };
  return [
    t('help.intro'),
    '',
    t('help.offboard', a),
    t('help.offboardExample'),
    t('help.bulkList', a),
    t('help.bulkSelectors', a),
    t('help.status', a),
    t('help.statusFailed', a),
    t('help.pending'),
    t('help.cancel', a),
    t('help.help'),
    '',
    t('help.outro'),
  ].join('\n');
}

// English, as the parser writes its messages (bot/teams/localized-errors.ts translates them).
const en = translator('en');
export const OFFBOARD_USAGE = offboardUsage(en);
export const STATUS_USAGE = statusUsage(en);
export const PENDING_USAGE = pendingUsage(en);
export const CANCEL_USAGE = cancelUsage(en);
export const HELP_TEXT = helpText(en);
