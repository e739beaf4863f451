/**
 * The usage lines the parser's complaints end with, said by catalogue key so each
 * language names the placeholders in its own words (the same entries bot/commands/help.ts
 * shows).
 */
import type { Said, SaidParams } from '../i18n';

const ARGS: SaidParams = {
  device: { key: 'help.argDevice' },
  comment: { key: 'help.argComment' },
  requestId: { key: 'help.argRequestId' },
  tag: { key: 'help.argTag' },
  deviceGroup: { key: 'help.argDeviceGroup' },
  N: '{N}',
};

export const USAGE = {
  offboard: { key: 'help.offboardUsage', params: ARGS },
  status: { key: 'help.statusUsage', params: ARGS },
  cancel: { key: 'help.cancelUsage', params: ARGS },
  bulk: { key: 'help.bulkUsage', params: ARGS },
} as const satisfies Record<string, Said>;
