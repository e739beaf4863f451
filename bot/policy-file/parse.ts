/**
 * POLICY_FILE: YAML text → PolicyRules, or one PolicyFileError naming every problem
 * with its line and field. Pure (the caller reads the file). The format is described
 * in policy.example.yaml and docs/directory.md, "Rules per device".
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Pair } from 'yaml';
import type { Audience } from '../directory/types';
import { PolicyFileError } from './policy-file-error';
import { globToRegExp } from './match';
import { staticProblem } from './reachable';
import type { DeviceMatch, EnvPolicy, NamePattern, PolicyRule, PolicyRules } from './types';

/** The same bounds as APPROVALS_REQUIRED. */
export const APPROVALS_MIN = 1;
export const APPROVALS_MAX = 10;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RULE_KEYS = ['name', 'match', 'allowed', 'approvers', 'requesters', 'approvalsRequired'];
const MATCH_KEYS = ['rbacGroupName', 'tags', 'osPlatform', 'name'];
const AUDIENCE_KEYS = ['users', 'groups'];
const GROUP_KEYS = ['id', 'name'];

type Node = unknown;

/**
 * `env`, when given, supplies the requesters of rules that name none, so the
 * reachability of every rule can be checked now rather than at the first request.
 */
export function parsePolicy(text: string, file: string, env?: EnvPolicy): PolicyRules {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const problems: Array<{ line: number; text: string }> = [];
  const lineOf = (node: Node, fallback = 1): number => {
    const range = (node as { range?: readonly number[] } | null)?.range;
    return range ? lc.linePos(range[0]!).line : fallback;
  };
  const problem = (node: Node, field: string, message: string, fallbackLine?: number) =>
    problems.push({ line: lineOf(node, fallbackLine), text: `${field}: ${message}` });
  const fail = () => {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    return new PolicyFileError(
      file,
      sorted.map((p) => `${file}:${p.line}: ${p.text}`),
    );
  };

  for (const e of doc.errors) {
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    problems.push({ line: lc.linePos(e.pos[0]).line, text: `(syntax): ${message}` });
  }
  if (problems.length) throw fail();

  /** The pairs of a map, by key; unknown keys are problems. `where` is the line of a missing map. */
  function entries(node: Node, field: string, known: readonly string[], where: number) {
    const out = new Map<string, Pair>();
    if (!isMap(node)) {
      problem(node, field, describe(node, `must be a map with ${known.join(', ')}`), where);
      return undefined;
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !known.includes(key)) {
        const name = key === undefined ? 'this key' : `"${key}"`;
        problem(pair.key, `${field}`, `${name} is not a known field (known: ${known.join(', ')})`);
        continue;
      }
      out.set(key, pair);
    }
    return out;
  }

  const lineOfPair = (pair: Pair): number => lineOf(pair.key);

  function textOf(pair: Pair, field: string): string | undefined {
    const v = pair.value;
    if (isScalar(v) && typeof v.value === 'string' && v.value.trim()) return v.value.trim();
    problem(v, field, describe(v, 'must be non-empty text'), lineOfPair(pair));
    return undefined;
  }

  /** A text or a list of texts. */
  function texts(pair: Pair, field: string): string[] | undefined {
    const v = pair.value;
    const items = isSeq(v) ? v.items : [v];
    const out: string[] = [];
    let ok = items.length > 0;
    items.forEach((item, i) => {
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim()) out.push(item.value.trim());
      else {
        ok = false;
        const f = isSeq(v) ? `${field}[${i}]` : field;
        problem(item, f, describe(item, 'must be non-empty text or a list of them'), lineOfPair(pair));
      }
    });
    if (!items.length) problem(v, field, 'must list at least one value', lineOfPair(pair));
    return ok ? out : undefined;
  }

  function guids(pair: Pair, field: string, names?: Record<string, string>): string[] | undefined {
    const v = pair.value;
    if (!isSeq(v)) {
      problem(v, field, describe(v, 'must be a list of Entra object ids (GUIDs)'), lineOfPair(pair));
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    v.items.forEach((item, i) => {
      const f = `${field}[${i}]`;
      let id: string | undefined;
      let label: string | undefined;
      if (names && isMap(item)) {
        const g = entries(item, f, GROUP_KEYS, lineOf(item));
        const idPair = g?.get('id');
        const namePair = g?.get('name');
        if (g && !idPair) problem(item, `${f}.id`, 'is required');
        if (idPair) id = textOf(idPair, `${f}.id`);
        if (namePair) label = textOf(namePair, `${f}.name`);
        if (!g || (namePair && !label)) ok = false;
      } else if (isScalar(item) && typeof item.value === 'string') {
        id = item.value.trim();
      }
      if (id !== undefined && GUID.test(id)) {
        out.push(id.toLowerCase());
        if (label && names) names[id.toLowerCase()] = label;
      } else {
        ok = false;
        if (id !== undefined || !isMap(item))
          problem(
            item,
            names && isMap(item) ? `${f}.id` : f,
            describe(item, `must be an Entra object id (a GUID)${names ? ', or { id, name }' : ''}`),
          );
      }
    });
    return ok ? [...new Set(out)] : undefined;
  }

  function audience(pair: Pair, field: string, names: Record<string, string>): Audience | undefined {
    const map = entries(pair.value, field, AUDIENCE_KEYS, lineOfPair(pair));
    if (!map) return undefined;
    const usersPair = map.get('users');
    const groupsPair = map.get('groups');
    const users = usersPair ? guids(usersPair, `${field}.users`) : [];
    const groups = groupsPair ? guids(groupsPair, `${field}.groups`, names) : [];
    if (!users || !groups) return undefined;
    if (!users.length && !groups.length) {
      problem(pair.value, field, 'must list at least one of users or groups', lineOfPair(pair));
      return undefined;
    }
    return { users, groups };
  }

  function deviceMatch(pair: Pair, field: string): DeviceMatch | undefined {
    const map = entries(pair.value, field, MATCH_KEYS, lineOfPair(pair));
    if (!map) return undefined;
    if (!map.size) {
      problem(
        pair.value,
        field,
        `give at least one of ${MATCH_KEYS.join(', ')} (the environment's settings cover every other device)`,
        lineOfPair(pair),
      );
      return undefined;
    }
    const m: { -readonly [K in keyof DeviceMatch]: DeviceMatch[K] } = {};
    let ok = true;
    const lower = (key: string) => {
      const p = map.get(key);
      if (!p) return undefined;
      const v = texts(p, `${field}.${key}`);
      if (!v) ok = false;
      return v?.map((s) => s.toLowerCase());
    };
    m.rbacGroupNames = lower('rbacGroupName');
    m.tags = lower('tags');
    m.osPlatforms = lower('osPlatform');
    const namePair = map.get('name');
    if (namePair) {
      const sources = texts(namePair, `${field}.name`);
      if (!sources) ok = false;
      const patterns: NamePattern[] = [];
      for (const [i, source] of (sources ?? []).entries()) {
        const compiled = namePattern(source);
        const f = isSeq(namePair.value) ? `${field}.name[${i}]` : `${field}.name`;
        const node = isSeq(namePair.value) ? namePair.value.items[i] : namePair.value;
        if (typeof compiled === 'string') {
          ok = false;
          problem(node, f, compiled);
        } else patterns.push(compiled);
      }
      m.names = patterns;
    }
    for (const k of Object.keys(m) as Array<keyof DeviceMatch>) if (m[k] === undefined) delete m[k];
    return ok ? m : undefined;
  }

  const root = doc.contents;
  const top = root === null ? undefined : entries(root, '(file)', ['rules'], 1);
  const rulesPair = top?.get('rules');
  if (root === null || (top && !rulesPair)) problem(root, 'rules', 'is required: a list of rules', 1);
  const rules: PolicyRule[] = [];
  if (rulesPair && !isSeq(rulesPair.value)) {
    problem(
      rulesPair.value,
      'rules',
      describe(rulesPair.value, 'must be a list of rules'),
      lineOfPair(rulesPair),
    );
  } else if (rulesPair && isSeq(rulesPair.value)) {
    const seen = new Map<string, number>();
    rulesPair.value.items.forEach((item, i) => {
      const line = lineOf(item, lineOfPair(rulesPair));
      const map = entries(item, `rules[${i}]`, RULE_KEYS, line);
      if (!map) return;
      const namePair = map.get('name');
      const name = namePair ? textOf(namePair, `rules[${i}].name`) : undefined;
      if (!namePair) problem(item, `rules[${i}].name`, 'is required');
      const field = (f: string) => `rules[${i}]${name ? ` (${name})` : ''}.${f}`;
      if (name) {
        const earlier = seen.get(name.toLowerCase());
        if (earlier !== undefined)
          problem(namePair!.value, field('name'), `is also the name of the rule at line ${earlier}`);
        else seen.set(name.toLowerCase(), line);
      }

      let ok = Boolean(name);
      const matchPair = map.get('match');
      if (!matchPair) {
        problem(
          item,
          field('match'),
          `is required: which devices the rule is for (${MATCH_KEYS.join(', ')})`,
        );
        ok = false;
      }
      const match = matchPair ? deviceMatch(matchPair, field('match')) : undefined;
      if (!match) ok = false;

      let allowed = true;
      const allowedPair = map.get('allowed');
      if (allowedPair) {
        const v = allowedPair.value;
        if (isScalar(v) && typeof v.value === 'boolean') allowed = v.value;
        else {
          ok = false;
          problem(v, field('allowed'), describe(v, 'must be true or false'), lineOfPair(allowedPair));
        }
      }

      const groupNames: Record<string, string> = {};
      const approversPair = map.get('approvers');
      const requestersPair = map.get('requesters');
      const approvalsPair = map.get('approvalsRequired');
      let approvers: Audience = { users: [], groups: [] };
      let requesters: Audience | undefined;
      let approvalsRequired = 0;
      if (!allowed) {
        // A rule that forbids needs nothing else; anything else there suggests a mistake.
        for (const [key, p] of [
          ['approvers', approversPair],
          ['requesters', requestersPair],
          ['approvalsRequired', approvalsPair],
        ] as const) {
          if (!p) continue;
          ok = false;
          problem(p.key, field(key), 'has no meaning in a rule with allowed: false; remove it');
        }
      } else {
        if (approversPair) {
          const a = audience(approversPair, field('approvers'), groupNames);
          if (a) approvers = a;
          else ok = false;
        } else {
          ok = false;
          problem(item, field('approvers'), 'is required (users and/or groups) unless allowed is false');
        }
        if (requestersPair) {
          requesters = audience(requestersPair, field('requesters'), groupNames);
          if (!requesters) ok = false;
        }
        if (approvalsPair) {
          const v = approvalsPair.value;
          const n = isScalar(v) ? v.value : undefined;
          if (typeof n === 'number' && Number.isInteger(n) && n >= APPROVALS_MIN && n <= APPROVALS_MAX)
            approvalsRequired = n;
          else {
            ok = false;
            problem(
              v,
              field('approvalsRequired'),
              describe(v, `must be a whole number from ${APPROVALS_MIN} to ${APPROVALS_MAX}`),
              lineOfPair(approvalsPair),
            );
          }
        } else {
          ok = false;
          problem(item, field('approvalsRequired'), `is required (${APPROVALS_MIN} to ${APPROVALS_MAX})`);
        }
      }
      if (!ok || !name || !match) return;
      const rule: PolicyRule = {
        name,
        line,
        match,
        allowed,
        approvers,
        ...(requesters ? { requesters } : {}),
        approvalsRequired,
        groupNames,
      };
      const who = requesters ?? env?.requesters;
      const unreachable = allowed && who ? staticProblem(rule, who) : undefined;
      if (unreachable) problem(approvalsPair?.value, field('approvalsRequired'), unreachable, line);
      rules.push(rule);
    });
  }
  if (problems.length) throw fail();
  return { file, rules };
}

/** `dc-*` (glob: `*` any text, `?` one character) or `/regex/` (optionally `/regex/i`). */
export function namePattern(source: string): NamePattern | string {
  const re = /^\/(.+)\/([a-z]*)$/s.exec(source);
  if (re) {
    if (re[2] && re[2] !== 'i') return 'a regular expression may only have the flag i';
    try {
      // Every matcher is case-insensitive: Defender keeps names in lower case, people write them either way.
      return { source, kind: 'regex', regex: new RegExp(re[1]!, 'i') };
    } catch (e) {
      return `is not a valid regular expression (${(e as Error).message})`;
    }
  }
  if (source.startsWith('/')) return 'a regular expression must end with / (e.g. /^dc\\d+$/)';
  return { source, kind: 'glob', regex: globToRegExp(source) };
}

/** The expected shape, plus what was found when that helps. */
function describe(node: Node, expected: string): string {
  if (isAlias(node)) return `${expected}; aliases (*name) are not supported`;
  if (node === null || node === undefined || (isScalar(node) && node.value === null))
    return `${expected}; it is empty`;
  if (isScalar(node)) return `${expected}, not ${JSON.stringify(node.value)}`;
  if (isSeq(node)) return `${expected}, not a list`;
  if (isMap(node)) return `${expected}, not a map`;
  return expected;
}
