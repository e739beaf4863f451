/**
 * Template mechanics shared by every card: bind a JSON template to a view-model and
 * wrap the result for an activity. Cards are data (docs/architecture.md, habit 8): the
 * templates live in cards/*.json and code only builds the view-model.
 */

/** An expanded Adaptive Card, as sent in an attachment or an invoke response. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [property: string]: unknown;
}

/** What every render function takes besides its data. */
export interface RenderOptions {
  /** Milliseconds since the epoch, from the injected clock (docs/architecture.md, habit 5). */
  now: number;
  /** IANA time zone for times on the card; UTC when absent. */
  timeZone?: string;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCardJson;
}

/**
 * Teams accepts Adaptive Card schema up to 1.5 for bot-sent cards, and Action.Execute
 * (Universal Actions) needs 1.4 or later (learn.microsoft.com/microsoftteams/platform/
 * task-modules-and-cards/cards/cards-reference, .../universal-actions-for-adaptive-cards/overview).
 */
export const CARD_SCHEMA_VERSION = '1.5';

/**
 * Budget for one card. Teams documents 40 KB (older pages) to ~100 KB (current page)
 * per bot message, counted as UTF-16 (learn.microsoft.com/microsoftteams/platform/bots/
 * how-to/format-your-bot-messages); Power Automate's Teams connector states ~28 KB.
 * We keep to the smallest number quoted so an update never fails on size.
 */
export const CARD_MAX_BYTES = 28 * 1024;

export class CardTemplateError extends Error {
  readonly code = 'card_template';
}

export interface CardTemplate<TView> {
  expand(view: TView): AdaptiveCardJson;
}

/**
 * Compiles a template once into closures, for repeated expansion.
 *
 * The templates use a small part of the Adaptive Card Templating language, and this is
 * that part, with its semantics (adaptivecards-templating 2.3's Template.expand):
 * `${path}` (`a.b`, `$root.a`, `$data`, `$index`; a whole-string binding keeps the
 * value's type, others are concatenated as text), `${path != ''}`,
 * `${count(path) > 0}`, `$data` (an array repeats the element, anything else becomes
 * its data; an empty array drops it) and `$when` (only `true` keeps the element).
 * Anything else in a template fails at load, so the tests that load every template see
 * it. The library itself is not loaded: its expression engine (adaptive-expressions,
 * antlr4ts, lodash: ~500 modules, ~20 MiB) cost start-up time and memory, and each
 * expansion evaluated through it (bench/RESULTS.md). test/unit/card-template.test.ts
 * checks both give the same card for every state.
 *
 * A binding to a missing (undefined or null) field would show as the literal
 * `${path}` in the library; a card showing `${approvals.count}` is a bug, so expansion
 * records every such path and throws: a typo in a template fails the tests that render
 * every state, never a user's card silently. Values are never expanded again, so
 * `${...}` in data stays text.
 */
export function loadTemplate<TView extends object>(json: object, name: string): CardTemplate<TView> {
  const root = compileNode(json, name);
  return {
    expand(view: TView): AdaptiveCardJson {
      const scope: Scope = { root: view, data: view, index: undefined, missing: [] };
      const card = root(scope);
      if (scope.missing.length > 0) {
        throw new CardTemplateError(`Card template ${name} binds missing data: ${scope.missing.join(', ')}`);
      }
      return card as AdaptiveCardJson;
    },
  };
}

interface Scope {
  root: unknown;
  data: unknown;
  index: number | undefined;
  missing: string[];
}

/** Expands a node; `DROPPED` is what an element whose `$when` or `$data` removed it gives. */
type Expand = (scope: Scope) => unknown;
const DROPPED = null;
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

function compileNode(node: unknown, name: string): Expand {
  if (typeof node === 'string') return compileString(node, name);
  if (Array.isArray(node)) {
    const items = node.map((n) => compileNode(n, name));
    return (scope) => {
      const out: unknown[] = [];
      for (const item of items) {
        const v = item(scope);
        if (v === DROPPED) continue;
        if (Array.isArray(v)) out.push(...(v as unknown[]));
        else out.push(v);
      }
      return out;
    };
  }
  if (typeof node !== 'object' || node === null) return () => node;
  const obj = node as Record<string, unknown>;
  const props = Object.keys(obj)
    .filter((k) => !RESERVED.has(k))
    .map((k) => [k, compileNode(obj[k], name)] as const);
  const when = '$when' in obj ? compileCondition(obj.$when, name) : undefined;
  const data = '$data' in obj ? compileString(String(obj.$data), name) : undefined;
  const one = (scope: Scope) => {
    const out: Record<string, unknown> = {};
    for (const [k, expand] of props) {
      const v = expand(scope);
      if (v !== undefined) out[k] = v;
    }
    return out;
  };
  return (scope) => {
    const saved = { data: scope.data, index: scope.index };
    const results: unknown[] = [];
    const contexts = data ? data(scope) : undefined;
    const list = Array.isArray(contexts) ? (contexts as unknown[]) : [contexts];
    for (let i = 0; i < list.length; i++) {
      if (Array.isArray(contexts)) scope.index = i;
      if (list[i] !== undefined) scope.data = list[i];
      if (!when || when(scope) === true) results.push(one(scope));
    }
    scope.data = saved.data;
    scope.index = saved.index;
    return results.length === 0 ? DROPPED : results.length === 1 ? results[0] : results;
  };
}

/** A string: literal text, one binding (its value keeps its type), or text with bindings. */
function compileString(text: string, name: string): Expand {
  if (!text.includes('${')) return () => text;
  const parts: Array<string | Expand> = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('${');
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}', open);
    if (close < 0) throw new CardTemplateError(`Card template ${name}: unclosed \${ in "${text}"`);
    parts.push(compileExpression(rest.slice(open + 2, close).trim(), name, true));
    rest = rest.slice(close + 1);
  }
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!;
  return (scope) => parts.map((p) => (typeof p === 'string' ? p : String(p(scope)))).join('');
}

/** `$when` is evaluated without substitution: a missing field makes it false, not an error. */
function compileCondition(when: unknown, name: string): Expand {
  const m = typeof when === 'string' ? /^\$\{(.*)\}$/.exec(when) : null;
  if (!m) throw new CardTemplateError(`Card template ${name}: $when must be one \${...} expression`);
  return compileExpression(m[1]!.trim(), name, false);
}

const PATH = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function compileExpression(expr: string, name: string, substitute: boolean): Expand {
  let m: RegExpExecArray | null;
  if ((m = /^(.+?)\s*!=\s*''$/.exec(expr))) {
    const value = compilePath(m[1]!, name, false);
    // The library's comparison with a missing field is an error, which `$when` reads as false.
    return (scope) => {
      const v = value(scope);
      return v === undefined ? undefined : v !== '';
    };
  }
  if ((m = /^count\((.+)\)\s*>\s*0$/.exec(expr))) {
    const value = compilePath(m[1]!, name, false);
    return (scope) => {
      const v = value(scope);
      return (Array.isArray(v) || typeof v === 'string') && v.length > 0;
    };
  }
  return compilePath(expr, name, substitute);
}

function compilePath(path: string, name: string, substitute: boolean): Expand {
  if (!PATH.test(path))
    throw new CardTemplateError(`Card template ${name}: unsupported expression "${path}"`);
  const [head, ...rest] = path.split('.');
  const start: (scope: Scope) => unknown =
    head === '$root'
      ? (s) => s.root
      : head === '$data'
        ? (s) => s.data
        : head === '$index'
          ? (s) => s.index
          : head!.startsWith('$')
            ? () => undefined
            : (s) => property(s.data, head!);
  return (scope) => {
    let v = start(scope);
    for (const key of rest) v = property(v, key);
    if (v === undefined || v === null) {
      if (!substitute) return undefined;
      scope.missing.push(path);
      return `\${${path}}`;
    }
    return v;
  };
}

function property(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null && Object.hasOwn(v, key)
    ? (v as Record<string, unknown>)[key]
    : undefined;
}

/** Wraps a card as a Bot Framework attachment (the one content type Teams renders as an Adaptive Card). */
export function toAttachment(card: AdaptiveCardJson): AdaptiveCardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** Size of the card as sent, in UTF-8 bytes. */
export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(toAttachment(card)), 'utf8');
}
