/** The Russian catalogue: the same areas as bot/i18n/en. */
import { run } from './run';
import { bulk } from './bulk';
import { card } from './card';
import { chat } from './chat';
import { errors } from './errors';
import { help } from './help';
import { notice } from './notice';
import { sandbox } from './sandbox-hints';

export const ru = {
  ...run,
  ...bulk,
  ...chat,
  ...errors,
  ...help,
  ...notice,
  ...sandbox,
  ...card,
} as const;
