/**
 * Writes a bulk `offboard` back as text that parses to the same result: the confirm
 * button carries this text and the click parses it again, so card data never bypasses
 * the parser. Pure.
 */
import { formatSelectors } from './selectors';
import type { MachineRef, ParseResult } from './types';

type Bulk = Extract<ParseResult, { kind: 'offboard_bulk' }>;

const refText = (r: MachineRef): string => (r.by === 'id' ? r.id : r.name);

export function formatBulkCommand(cmd: Bulk): string {
  const parts = ['offboard'];
  const selectors = formatSelectors(cmd.selectors);
  if (selectors) parts.push(selectors);
  if (cmd.devices.length) parts.push(cmd.devices.map(refText).join(', '));
  // On its own line: a comment can never be read as one more device or selector.
  return parts.join(' ') + (cmd.comment ? `\n${cmd.comment}` : '');
}
