/** The Russian catalogue: the same areas as bot/i18n/en. */
import { common } from './common';
import { card } from './card';

export const ru = { ...common, ...card } as const;
