/** The English catalogue: one spread per area file (keys are prefixed by their area). */
import { common } from './common';

export const en = { ...common } as const;
