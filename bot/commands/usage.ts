/**
 * The usage lines the parser's complaints end with, said by catalogue key so each
 * language names the placeholders in its own words (the same entries bot/commands/help.ts
 * shows).
 */
import type { Said, SaidParams } from '../i18n';

/** The placeholders' words, each in the reader's language. */
export const USAGE_ARGS: SaidParams = {
  device: { key: 'help.argDevice' },
  comment: { key: 'help.argComment' },
  requestId: { key: 'help.argRequestId' },
  tag: { key: 'help.argTag' },
  deviceGroup: { key: 'help.argDeviceGroup' },
  N: '{N}',
};

export const USAGE = {
  offboard: { key: 'help.offboardUsage', params: USAGE_ARGS },
  status: { key: 'help.statusUsage', params: USAGE_ARGS },
  cancel: { key: 'help.cancelUsage', params: USAGE_ARGS },
  bulk: { key: 'help.bulkUsage', params: USAGE_ARGS },
} as const satisfies Record<string, Said>;
