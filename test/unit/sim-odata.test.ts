import { ODataFilterError, tokenize } from '../../sandbox/defender/odata-lexer';
import { compileFilter } from '../../sandbox/defender/odata-eval';
import { parseFilter } from '../../sandbox/defender/odata-parser';

const FIELDS = [
  'computerDnsName',
  'osPlatform',
  'rbacGroupId',
  'machineTags',
  'lastSeen',
  'isAadJoined',
  'version',
];

const rows = [
  { computerDnsName: 'ws-042.contoso.local', osPlatform: 'Windows11', rbacGroupId: 101, machineTags: ["O'Brien"], lastSeen: '2025-01-15T11:00:00.000Z', isAadJoined: true, version: '23H2' },
  { computerDnsName: 'WS-0420.contoso.local', osPlatform: 'Windows10', rbacGroupId: 102, machineTags: [], lastSeen: '2024-06-01T00:00:00.000Z', isAadJoined: false, version: null },
  { computerDnsName: 'mac-01.contoso.local', osPlatform: 'macOS', rbacGroupId: 105, machineTags: ['VIP', 'Finance'], lastSeen: '2025-01-15T11:59:00.000Z', isAadJoined: false, version: '14.5' },
]; // prettier-ignore

const select = (filter: string): string[] =>
  rows.filter(compileFilter(filter, FIELDS)).map((r) => r.computerDnsName);

const errorKind = (filter: string): string | undefined => {
  try {
    rows.filter(compileFilter(filter, FIELDS));
    return undefined;
  } catch (e) {
    return e instanceof ODataFilterError ? e.kind : 'other';
  }
};

describe('OData $filter lexer', () => {
  it('un-doubles quotes inside string literals', () => {
    expect(tokenize("x eq 'o''brien'")[2]).toMatchObject({ kind: 'string', value: "o'brien" });
    expect(tokenize("''''")[0]).toMatchObject({ kind: 'string', value: "'" });
  });

  it('reads unquoted datetimes, numbers and punctuation', () => {
    const kinds = tokenize('f(a,2024-01-01T00:00:00Z) le -3.5').map((t) => t.kind);
    expect(kinds).toEqual(['ident', 'punct', 'ident', 'punct', 'date', 'punct', 'ident', 'number', 'eof']);
  });

  it('rejects unterminated strings and stray characters', () => {
    expect(() => tokenize("a eq 'abc")).toThrow(/Unterminated/);
    expect(() => tokenize('a eq "x"')).toThrow(ODataFilterError);
    expect(() => tokenize('a eq 12abc')).toThrow(ODataFilterError);
  });
});

describe('OData $filter parser and evaluator', () => {
  it('binds field names case-insensitively to canonical names', () => {
    expect(parseFilter("COMPUTERDNSNAME eq 'x'", FIELDS)).toEqual({
      kind: 'compare',
      op: 'eq',
      left: { kind: 'field', name: 'computerDnsName' },
      right: { kind: 'literal', value: 'x' },
    });
  });

  it('compares strings case-insensitively (documented choice in odata-eval.ts)', () => {
    expect(select("computerDnsName eq 'ws-0420.CONTOSO.local'")).toEqual(['WS-0420.contoso.local']);
    expect(select("osPlatform ne 'windows11'")).toEqual(['WS-0420.contoso.local', 'mac-01.contoso.local']);
  });

  it('gives and precedence over or, and honours parentheses and not', () => {
    expect(select("osPlatform eq 'macOS' or osPlatform eq 'Windows10' and rbacGroupId eq 101")).toEqual([
      'mac-01.contoso.local',
    ]);
    expect(select("(osPlatform eq 'macOS' or osPlatform eq 'Windows10') and rbacGroupId eq 102")).toEqual([
      'WS-0420.contoso.local',
    ]);
    expect(select("not startswith(computerDnsName,'ws-')")).toEqual(['mac-01.contoso.local']);
  });

  it('supports startswith, endswith, contains, tolower and toupper', () => {
    expect(select("startswith(computerDnsName,'ws-042')")).toEqual([
      'ws-042.contoso.local',
      'WS-0420.contoso.local',
    ]);
    expect(select("endswith(computerDnsName,'0.contoso.local')")).toEqual(['WS-0420.contoso.local']);
    expect(select("contains(computerDnsName,'MAC')")).toEqual(['mac-01.contoso.local']);
    expect(select("tolower(computerDnsName) eq 'ws-0420.contoso.local'")).toEqual(['WS-0420.contoso.local']);
    expect(select("toupper(osPlatform) eq 'MACOS'")).toEqual(['mac-01.contoso.local']);
  });

  it('supports in, numbers, booleans, null and datetimes', () => {
    expect(select('rbacGroupId in (101, 105)')).toEqual(['ws-042.contoso.local', 'mac-01.contoso.local']);
    expect(select('rbacGroupId ge 102')).toEqual(['WS-0420.contoso.local', 'mac-01.contoso.local']);
    expect(select('isAadJoined eq true')).toEqual(['ws-042.contoso.local']);
    expect(select('isAadJoined')).toEqual(['ws-042.contoso.local']);
    expect(select('version eq null')).toEqual(['WS-0420.contoso.local']);
    expect(select('lastSeen gt 2025-01-01T00:00:00Z')).toEqual([
      'ws-042.contoso.local',
      'mac-01.contoso.local',
    ]);
    expect(select('lastSeen lt 2025-01-01')).toEqual(['WS-0420.contoso.local']);
  });

  it("supports any/all lambdas over collections, with quotes: 'O''Brien'", () => {
    expect(select("machineTags/any(t: t eq 'O''Brien')")).toEqual(['ws-042.contoso.local']);
    expect(select("machineTags/any(t: startswith(t,'fin'))")).toEqual(['mac-01.contoso.local']);
    expect(select("machineTags/all(t: t ne 'VIP')")).toEqual([
      'ws-042.contoso.local',
      'WS-0420.contoso.local',
    ]);
  });

  it('reports malformed filters as syntax errors', () => {
    for (const bad of [
      '',
      "computerDnsName eq 'o'brien'",
      "computerDnsName eq 'x' and",
      "computerDnsName eq 'x')",
      "(computerDnsName eq 'x'",
      "computerDnsName equals 'x'",
      "startswith(computerDnsName 'x')",
      "machineTags/some(t: t eq 'x')",
    ]) {
      expect([bad, errorKind(bad)]).toEqual([bad, 'syntax']);
    }
  });

  it('reports unknown properties, functions and type errors as semantic errors', () => {
    expect(errorKind("nope eq 'x'")).toBe('semantic');
    expect(errorKind("substringof('x', computerDnsName)")).toBe('semantic');
    expect(errorKind('startswith(computerDnsName)')).toBe('semantic');
    expect(errorKind("rbacGroupId eq '101'")).toBe('semantic');
    expect(errorKind("machineTags eq 'VIP'")).toBe('semantic');
    expect(errorKind('computerDnsName')).toBe('semantic');
  });
});
