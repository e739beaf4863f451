/**
 * Tokenizer for the OData v4 $filter subset the Defender API accepts (docs/defender-api.md:
 * string literals in single quotes, a quote inside doubled: 'o''brien').
 */
export class ODataFilterError extends Error {
  constructor(
    message: string,
    /** 'syntax': the text does not parse; 'semantic': it parses but cannot be bound or evaluated. */
    readonly kind: 'syntax' | 'semantic',
  ) {
    super(message);
    this.name = 'ODataFilterError';
  }
}

export type Token =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'date'; value: number; text: string; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'punct'; value: '(' | ')' | ',' | ':' | '/'; pos: number }
  | { kind: 'eof'; pos: number };

// Edm.DateTimeOffset / Edm.Date literals are unquoted in OData v4.
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))?/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new ODataFilterError(`Unterminated string literal at position ${start}`, 'syntax');
        const c = text[i] as string;
        if (c === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', value, pos: start });
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':' || ch === '/') {
      tokens.push({ kind: 'punct', value: ch, pos: i });
      i++;
      continue;
    }
    const rest = text.slice(i);
    const date = DATE.exec(rest);
    if (date && date[0].length > 4 && /^\d{4}-/.test(rest)) {
      const ms = Date.parse(date[0]);
      if (Number.isNaN(ms)) throw new ODataFilterError(`Invalid date literal '${date[0]}' at ${i}`, 'syntax');
      tokens.push({ kind: 'date', value: ms, text: date[0], pos: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), pos: i });
      i += num[0].length;
      if (i < text.length && /[A-Za-z_]/.test(text[i] as string)) {
        throw new ODataFilterError(`Unexpected character '${text[i]}' at position ${i}`, 'syntax');
      }
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    throw new ODataFilterError(`Unexpected character '${ch}' at position ${i}`, 'syntax');
  }
  tokens.push({ kind: 'eof', pos: text.length });
  return tokens;
}
