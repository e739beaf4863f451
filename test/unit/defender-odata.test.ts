import fc from 'fast-check';
import {
  InvalidInputError,
  actionIdSegment,
  machineActionsFilter,
  machineIdSegment,
  odataString,
  queryString,
  startsWith,
} from '../../bot/defender/odata';

const MACHINE = 'a'.repeat(40);
const ACTION = '7c5d1e9a-0b1f-4a2c-9d3e-5f6a7b8c9d0e';

describe('OData literals and URL segments', () => {
  test('quotes are doubled (docs/defender-api.md: ' + "'o''brien')", () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    expect(odataString("''")).toBe("''''''");
    expect(odataString('büro 100%/x')).toBe("'büro 100%/x'");
    expect(startsWith('computerDnsName', "a' or 1 eq 1 or 'b")).toBe(
      "startswith(computerDnsName,'a'' or 1 eq 1 or ''b')",
    );
  });

  test('control characters are refused', () => {
    for (const bad of ['a\nb', 'a\rb', 'a\u0000', '\u007f', '\u0085x'])
      expect(() => odataString(bad)).toThrow(InvalidInputError);
  });

  test('property: any text becomes exactly one literal that reads back as itself', () => {
    fc.assert(
      fc.property(
        // eslint-disable-next-line no-control-regex
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
        (s) => {
          const lit = odataString(s);
          expect(lit).toMatch(/^'(?:[^']|'')*'$/s);
          expect(lit.slice(1, -1).replace(/''/g, "'")).toBe(s);
        },
      ),
    );
  });

  test('ids are validated before they become path segments', () => {
    expect(machineIdSegment(MACHINE.toUpperCase())).toBe(MACHINE.toUpperCase());
    expect(actionIdSegment(ACTION)).toBe(ACTION);
    for (const bad of [
      '',
      'a'.repeat(39),
      'g'.repeat(40),
      `${'a'.repeat(40)}/offboard`,
      '../x',
      `${'a'.repeat(39)}%`,
    ])
      expect(() => machineIdSegment(bad)).toThrow(InvalidInputError);
    for (const bad of ['', `${ACTION}/cancel`, ACTION.replace(/-/g, ''), `${ACTION} `])
      expect(() => actionIdSegment(bad)).toThrow(InvalidInputError);
  });

  test('machine action filters: the documented shape; an or-group in parentheses', () => {
    expect(machineActionsFilter({ machineId: MACHINE, type: 'Offboard' })).toBe(
      `machineId eq '${MACHINE}' and type eq 'Offboard'`,
    );
    expect(machineActionsFilter({ machineId: MACHINE, statuses: ['Pending', 'InProgress'] })).toBe(
      `machineId eq '${MACHINE}' and (status eq 'Pending' or status eq 'InProgress')`,
    );
    expect(machineActionsFilter({ machineId: MACHINE, statuses: ['Pending'] })).toBe(
      `machineId eq '${MACHINE}' and status eq 'Pending'`,
    );
    expect(() => machineActionsFilter({ machineId: "x' or '1" })).toThrow(InvalidInputError);
    expect(machineActionsFilter({})).toBeUndefined();
  });

  test('query strings: each value percent-encoded, space as %20, & and = cannot split parameters', () => {
    expect(queryString({ $filter: "startswith(computerDnsName,'a b&c=d')", $top: 5, $skip: undefined })).toBe(
      "?$filter=startswith(computerDnsName%2C'a%20b%26c%3Dd')&$top=5",
    );
    expect(queryString({})).toBe('');
  });
});
