import { parseFilter, type Expr } from '../../../sandbox/defender/odata-parser';

/**
 * Reads a Defender request URL exactly as it arrived on the wire (path and query not
 * decoded) and throws, with the reason, on anything the bot's client should never
 * send: another path, an extra or repeated parameter, a character encodeURIComponent
 * would have encoded, or a filter that is not exactly the shape the client builds.
 * The filter is parsed back with the simulator's OData parser, which shares no code
 * with bot/defender/odata.ts.
 */
export type DefenderUrl =
  | { kind: 'machines'; filter: Expr; filterText: string; top?: number }
  | { kind: 'machine'; id: string }
  | { kind: 'actions'; filter: Expr; filterText: string };

const FIELDS = ['computerDnsName', 'machineId', 'type', 'status', 'id', 'machineTags', 'lastSeen'];
/** What encodeURIComponent leaves as is, plus %XX escapes. */
const ENCODED_VALUE = /^(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-F]{2})*$/;
const MACHINE_PATH = /^\/api\/machines\/([0-9a-f]{40})$/i;

export function readDefenderUrl(raw: string): DefenderUrl {
  if (raw.includes('#')) throw new Error(`fragment in request URL: ${short(raw)}`);
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = q < 0 ? new Map<string, string>() : readQuery(raw.slice(q + 1));
  const machine = MACHINE_PATH.exec(path);
  if (machine) {
    if (params.size) throw new Error(`query on a machine URL: ${short(raw)}`);
    return { kind: 'machine', id: machine[1]! };
  }
  if (path === '/api/machines') {
    onlyKeys(params, ['$filter', '$top'], raw);
    const top = params.get('$top');
    // Bulk `group:` alone lists every device, in pages of Defender's largest size.
    if (!params.has('$filter') && top === '10000')
      return { kind: 'machines', filter: TRUE, filterText: '', top: 10_000 };
    const filterText = required(params, '$filter', raw);
    if (top !== undefined && !/^[1-9][0-9]{0,4}$/.test(top)) throw new Error(`bad $top: ${short(raw)}`);
    return {
      kind: 'machines',
      filter: parseFilter(filterText, FIELDS),
      filterText,
      ...(top ? { top: Number(top) } : {}),
    };
  }
  if (path === '/api/machineactions') {
    onlyKeys(params, ['$filter', '$top'], raw);
    const filterText = required(params, '$filter', raw);
    return { kind: 'actions', filter: parseFilter(filterText, FIELDS), filterText };
  }
  throw new Error(`unexpected path ${short(path)}`);
}

/** The query's parameters, decoded; throws on a repeated key or an unencoded character. */
export function readQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`malformed query part ${short(part)}`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!ENCODED_VALUE.test(value)) throw new Error(`unencoded character in ${key}: ${short(value)}`);
    if (params.has(key)) throw new Error(`repeated parameter ${key}`);
    params.set(key, decodeURIComponent(value));
  }
  return params;
}

function onlyKeys(params: Map<string, string>, allowed: string[], raw: string): void {
  for (const k of params.keys()) if (!allowed.includes(k)) throw new Error(`parameter ${k}: ${short(raw)}`);
}

function required(params: Map<string, string>, key: string, raw: string): string {
  const v = params.get(key);
  if (v === undefined) throw new Error(`missing ${key}: ${short(raw)}`);
  return v;
}

/** `startswith(computerDnsName,'<literal>')` with exactly that literal and nothing else. */
export function startsWithLiteral(expr: Expr): string {
  if (expr.kind !== 'call' || expr.fn !== 'startswith') throw new Error(`not a startswith: ${expr.kind}`);
  const [field, lit] = expr.args;
  if (field?.kind !== 'field' || field.name !== 'computerDnsName')
    throw new Error('startswith on another field');
  if (lit?.kind !== 'literal' || typeof lit.value !== 'string')
    throw new Error('startswith without a string');
  return lit.value;
}

/** Quotes balanced the way OData reads them: the whole text is one call with one literal. */
export const ONE_LITERAL_STARTSWITH = /^startswith\(computerDnsName,'(?:[^']|'')*'\)$/s;

function short(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
}

const TRUE: Expr = { kind: 'literal', value: true };

/**
 * The filters of the bulk look-ups (bot/defender/client.ts listMachines): an `or` of
 * startswith literals (listed names), an `or` of `id eq '<40 hex>'` (listed ids), or
 * `machineTags/any(t: t eq '<tag>')` and/or `lastSeen lt <date>` (selectors). Returns
 * the startswith literals, to be checked like a single name's; throws on anything else.
 */
export function bulkMachinesFilter(expr: Expr): string[] {
  if (expr === TRUE) return [];
  if (expr.kind === 'call') return [startsWithLiteral(expr)];
  if (expr.kind === 'or') return [...orOf(expr.left), ...orOf(expr.right)];
  if (expr.kind === 'and') {
    tagOrSeen(expr.left);
    tagOrSeen(expr.right);
    return [];
  }
  tagOrSeen(expr);
  return [];
}

function orOf(e: Expr): string[] {
  if (e.kind === 'or') return [...orOf(e.left), ...orOf(e.right)];
  if (e.kind === 'call') return [startsWithLiteral(e)];
  if (e.kind === 'compare' && e.op === 'eq' && e.left.kind === 'field' && e.left.name === 'id') {
    if (e.right.kind !== 'literal' || !/^[0-9a-f]{40}$/.test(String(e.right.value)))
      throw new Error('id eq without an id');
    return [];
  }
  throw new Error(`unexpected clause in an or: ${e.kind}`);
}

function tagOrSeen(e: Expr): void {
  if (e.kind === 'lambda' && e.quantifier === 'any' && e.field === 'machineTags') {
    const b = e.body;
    if (b.kind === 'compare' && b.op === 'eq' && b.left.kind === 'var' && b.right.kind === 'literal') return;
    throw new Error('machineTags/any with another body');
  }
  if (
    e.kind === 'compare' &&
    e.op === 'lt' &&
    e.left.kind === 'field' &&
    e.left.name === 'lastSeen' &&
    e.right.kind === 'date'
  )
    return;
  throw new Error(`unexpected bulk clause: ${e.kind}`);
}

/** The tenant's active offboards (bulk selection): exactly this filter. */
export const ACTIVE_OFFBOARDS = /^type eq 'Offboard' and \(status eq 'Pending' or status eq 'InProgress'\)$/;
