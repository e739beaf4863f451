/**
 * Evaluates a parsed $filter against one record.
 *
 * String comparison choice: eq/ne/gt/.../startswith/contains compare strings
 * case-insensitively for every property. The real service matches computerDnsName
 * regardless of case (docs/defender-api.md asks clients to be lenient where behaviour is
 * not documented); applying the rule uniformly keeps the simulator simple and means a
 * client must never rely on case to tell devices apart.
 */
import { ODataFilterError } from './odata-lexer';
import { parseFilter, type CompareOp, type Expr } from './odata-parser';

type Value = string | number | boolean | null | readonly unknown[] | DateValue;

class DateValue {
  constructor(readonly ms: number) {}
}

type Scope = { record: Record<string, unknown>; vars: Map<string, unknown> };

export type FilterPredicate = (record: object) => boolean;

/** Parses once; the returned predicate throws ODataFilterError('semantic') on type errors. */
export function compileFilter(text: string, fields: readonly string[]): FilterPredicate {
  const expr = parseFilter(text, fields);
  return (record) => {
    const result = evaluate(expr, { record: record as Record<string, unknown>, vars: new Map() });
    if (typeof result !== 'boolean' && result !== null) {
      throw new ODataFilterError('The $filter expression must evaluate to a boolean', 'semantic');
    }
    return result === true;
  };
}

function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v;
  throw new ODataFilterError('Unsupported property type in $filter', 'semantic');
}

function evaluate(e: Expr, scope: Scope): Value {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'date':
      return new DateValue(e.ms);
    case 'field':
      return toValue(scope.record[e.name]);
    case 'var':
      return toValue(scope.vars.get(e.name));
    case 'and':
      return asBool(evaluate(e.left, scope)) && asBool(evaluate(e.right, scope));
    case 'or':
      return asBool(evaluate(e.left, scope)) || asBool(evaluate(e.right, scope));
    case 'not':
      return !asBool(evaluate(e.operand, scope));
    case 'compare':
      return compare(e.op, evaluate(e.left, scope), evaluate(e.right, scope));
    case 'in': {
      const left = evaluate(e.left, scope);
      return e.list.some((item) => compare('eq', left, evaluate(item, scope)));
    }
    case 'call':
      return call(
        e.fn,
        e.args.map((a) => evaluate(a, scope)),
      );
    case 'lambda': {
      const items = scope.record[e.field] ?? [];
      if (!Array.isArray(items)) throw new ODataFilterError(`'${e.field}' is not a collection`, 'semantic');
      const test = (item: unknown): boolean => {
        const vars = new Map(scope.vars).set(e.variable, item);
        return asBool(evaluate(e.body, { record: scope.record, vars }));
      };
      return e.quantifier === 'any' ? items.some(test) : items.every(test);
    }
  }
}

function asBool(v: Value): boolean {
  if (v === null) return false;
  if (typeof v !== 'boolean')
    throw new ODataFilterError('A logical operator needs boolean operands', 'semantic');
  return v;
}

function call(fn: string, args: Value[]): Value {
  const [a, b] = args;
  if (fn === 'tolower' || fn === 'toupper') {
    if (a === null) return null;
    if (typeof a !== 'string') throw new ODataFilterError(`${fn}() needs a string`, 'semantic');
    return fn === 'tolower' ? a.toLowerCase() : a.toUpperCase();
  }
  if (a === null || b === null) return false;
  if (typeof a !== 'string' || typeof b !== 'string') {
    throw new ODataFilterError(`${fn}() needs string arguments`, 'semantic');
  }
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (fn === 'startswith') return x.startsWith(y);
  if (fn === 'endswith') return x.endsWith(y);
  return x.includes(y);
}

function compare(op: CompareOp, l: Value, r: Value): boolean {
  if (Array.isArray(l) || Array.isArray(r)) {
    throw new ODataFilterError('Collections cannot be compared; use any()/all()', 'semantic');
  }
  if (l === null || r === null) {
    if (op === 'eq') return l === r;
    if (op === 'ne') return l !== r;
    return false;
  }
  const pair = comparable(
    l as Exclude<Value, readonly unknown[] | null>,
    r as Exclude<Value, readonly unknown[] | null>,
  );
  if (pair === undefined) return op === 'ne';
  const [x, y] = pair;
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
  }
}

type Scalar = string | number | boolean | DateValue;

/** Brings two scalars to one comparable type; undefined when a date string does not parse. */
function comparable(
  l: Scalar,
  r: Scalar,
): [string | number | boolean, string | number | boolean] | undefined {
  if (l instanceof DateValue || r instanceof DateValue) {
    const ms = (v: Scalar): number =>
      v instanceof DateValue ? v.ms : typeof v === 'string' ? Date.parse(v) : NaN;
    const [x, y] = [ms(l), ms(r)];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (typeof l !== 'string' && !(l instanceof DateValue)) throw incompatible();
      if (typeof r !== 'string' && !(r instanceof DateValue)) throw incompatible();
      return undefined;
    }
    return [x, y];
  }
  if (typeof l !== typeof r) throw incompatible();
  if (typeof l === 'string' && typeof r === 'string') return [l.toLowerCase(), r.toLowerCase()];
  return [l, r];
}

const incompatible = (): ODataFilterError =>
  new ODataFilterError('A binary operator with incompatible types was detected', 'semantic');
