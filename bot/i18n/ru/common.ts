import type { Translation } from '../message';
import type { common as en } from '../en/common';

export const common: Translation<typeof en> = {};
