/**
 * Recursive-descent parser for $filter. Grammar (lowest precedence first):
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | compare
 *   compare := primary (('eq'|'ne'|'gt'|'ge'|'lt'|'le') primary | 'in' '(' primary (',' primary)* ')')?
 *   primary := '(' or ')' | literal | fn '(' args ')' | field ('/' ('any'|'all') '(' var ':' or ')')?
 * Keywords are matched case-insensitively (OData 4.01 leniency). Field names are bound
 * case-insensitively to the entity's canonical property names at parse time, so an
 * unknown property is reported even when the collection is empty.
 */
import { ODataFilterError, tokenize, type Token } from './odata-lexer';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FnName = 'startswith' | 'endswith' | 'contains' | 'tolower' | 'toupper';

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'date'; ms: number }
  | { kind: 'field'; name: string }
  | { kind: 'var'; name: string }
  | { kind: 'call'; fn: FnName; args: Expr[] }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { kind: 'in'; left: Expr; list: Expr[] }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'lambda'; quantifier: 'any' | 'all'; field: string; variable: string; body: Expr };

const COMPARE_OPS: readonly string[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const FUNCTIONS: Record<FnName, number> = { startswith: 2, endswith: 2, contains: 2, tolower: 1, toupper: 1 };

export function parseFilter(text: string, fields: readonly string[]): Expr {
  return new Parser(tokenize(text), fields).parseAll();
}

class Parser {
  private i = 0;
  private readonly fields = new Map<string, string>();
  private readonly vars: string[] = [];

  constructor(
    private readonly tokens: Token[],
    fields: readonly string[],
  ) {
    for (const f of fields) this.fields.set(f.toLowerCase(), f);
  }

  parseAll(): Expr {
    const expr = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.syntax(t, 'end of expression');
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.i] ?? { kind: 'eof', pos: -1 };
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.value.toLowerCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === p;
  }

  private expectPunct(p: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== p) throw this.syntax(t, `'${p}'`);
  }

  private syntax(t: Token, expected: string): ODataFilterError {
    const found = t.kind === 'eof' ? 'end of input' : `'${'text' in t ? t.text : String(t.value)}'`;
    return new ODataFilterError(
      `Syntax error at position ${t.pos}: expected ${expected}, found ${found}`,
      'syntax',
    );
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.isKeyword('and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const left = this.parsePrimary();
    const t = this.peek();
    if (t.kind === 'ident' && COMPARE_OPS.includes(t.value.toLowerCase())) {
      this.next();
      return { kind: 'compare', op: t.value.toLowerCase() as CompareOp, left, right: this.parsePrimary() };
    }
    if (this.isKeyword('in')) {
      this.next();
      this.expectPunct('(');
      const list = [this.parsePrimary()];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.parsePrimary());
      }
      this.expectPunct(')');
      return { kind: 'in', left, list };
    }
    return left;
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: t.value };
      case 'date':
        return { kind: 'date', ms: t.value };
      case 'punct': {
        if (t.value !== '(') throw this.syntax(t, 'an operand');
        const inner = this.parseOr();
        this.expectPunct(')');
        return inner;
      }
      case 'ident':
        return this.parseIdent(t);
      case 'eof':
        throw this.syntax(t, 'an operand');
    }
  }

  private parseIdent(t: Token & { kind: 'ident' }): Expr {
    const lower = t.value.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
    if (lower === 'null') return { kind: 'literal', value: null };
    if (this.isPunct('(')) return this.parseCall(t, lower);
    if (this.vars.includes(t.value)) return { kind: 'var', name: t.value };
    const field = this.bindField(t.value);
    if (!this.isPunct('/')) return { kind: 'field', name: field };
    this.next();
    const q = this.next();
    const quantifier = q.kind === 'ident' ? q.value.toLowerCase() : '';
    if (quantifier !== 'any' && quantifier !== 'all') throw this.syntax(q, "'any' or 'all'");
    this.expectPunct('(');
    const v = this.next();
    if (v.kind !== 'ident') throw this.syntax(v, 'a lambda variable');
    this.expectPunct(':');
    this.vars.push(v.value);
    const body = this.parseOr();
    this.vars.pop();
    this.expectPunct(')');
    return { kind: 'lambda', quantifier, field, variable: v.value, body };
  }

  private parseCall(t: Token & { kind: 'ident' }, lower: string): Expr {
    if (!(lower in FUNCTIONS)) throw new ODataFilterError(`Unknown function '${t.value}'`, 'semantic');
    const fn = lower as FnName;
    this.expectPunct('(');
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      args.push(this.parseOr());
      while (this.isPunct(',')) {
        this.next();
        args.push(this.parseOr());
      }
    }
    this.expectPunct(')');
    if (args.length !== FUNCTIONS[fn]) {
      throw new ODataFilterError(`Function '${fn}' takes ${FUNCTIONS[fn]} argument(s)`, 'semantic');
    }
    return { kind: 'call', fn, args };
  }

  private bindField(name: string): string {
    const canonical = this.fields.get(name.toLowerCase());
    if (!canonical) throw new ODataFilterError(`Could not find a property named '${name}'`, 'semantic');
    return canonical;
  }
}
