/** The English catalogue: one spread per area file (keys are prefixed by their area). */
import { run } from './run';
import { bulk } from './bulk';
import { card } from './card';
import { chat } from './chat';
import { errors } from './errors';
import { help } from './help';
import { notice } from './notice';
import { sandbox } from './sandbox-hints';

export const en = {
  ...run,
  ...bulk,
  ...chat,
  ...errors,
  ...help,
  ...notice,
  ...sandbox,
  ...card,
} as const;
