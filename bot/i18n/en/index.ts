/** The English catalogue: one spread per area file (keys are prefixed by their area). */
import { common } from './common';
import { run } from './run';
import { card } from './card';

export const en = { ...common, ...run, ...card } as const;
