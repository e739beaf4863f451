/** The typed-command parser: pure, no I/O (docs/architecture.md, "Layers"). */
export { parseCommand } from './parse';
export { HELP_TEXT } from './help';
export {
  newRequestId,
  parseRequestId,
  REQUEST_ID_PATTERN,
  REQUEST_ID_PREFIX,
  CROCKFORD_ALPHABET,
} from './request-id';
export { DEVICE_ID_PATTERN, isDeviceId, isHostName, hostNameProblem } from './host-name';
export { editDistance, suggestCommand } from './suggest';
export * from './limits';
export type { CommandInput, CommandWord, InvalidCode, MachineRef, ParseResult } from './types';
export { COMMAND_WORDS } from './types';
export {
  BULK_MAX_DEVICES,
  BULK_USAGE,
  INACTIVE_MAX_DAYS,
  INACTIVE_MIN_DAYS,
  MAX_BULK_TEXT_CHARS,
} from './bulk-limits';
export { formatSelectors, hasSelectors, type Selectors } from './selectors';
export { formatBulkCommand } from './bulk-format';
