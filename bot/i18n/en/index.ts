/** The English catalogue: one spread per area file (keys are prefixed by their area). */
import { common } from './common';
import { card } from './card';

export const en = { ...common, ...card } as const;
