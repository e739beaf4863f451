/** The Russian catalogue: the same areas as bot/i18n/en. */
import { common } from './common';
import { run } from './run';
import { card } from './card';

export const ru = { ...common, ...run, ...card } as const;
