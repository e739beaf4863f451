/** The Russian catalogue: the same areas as bot/i18n/en. */
import { common } from './common';

export const ru = { ...common } as const;
