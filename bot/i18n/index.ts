export { LOCALES, isLocale, localeOf, type Locale } from './locale';
export type { Message, PluralMessage, Translation } from './message';
export { translate, translator, format, formatNumber, type Translator, type Params } from './translate';
export type { MessageKey } from './catalogues';
export {
  said,
  sayIn,
  paramsIn,
  english,
  withEnglish,
  tell,
  toldOf,
  type Said,
  type SaidParams,
  type SaidValue,
  type Told,
} from './said';
