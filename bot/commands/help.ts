/**
 * Chat text for help and usage hints (Teams markdown), in the reader's language
 * (docs/i18n.md). The command words stay English: they are what people type.
 * Placeholders are written `{device}`, not `<device>`: Teams may read angle brackets
 * as HTML and drop them.
 */
import { paramsIn, translator, type Translator } from '../i18n';
import { USAGE_ARGS } from './usage';
import { MAX_COMMENT_CHARS } from './limits';

/** The words shown inside `{…}` in help lines: the same as in usage lines (./usage.ts). */
const args = (t: Translator) => paramsIn(t, USAGE_ARGS);

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

/** The English help, for a message with no language to go by in tests and logs. */
export const HELP_TEXT = helpText(translator('en'));
