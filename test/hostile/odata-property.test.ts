import fc from 'fast-check';
import {
  InvalidInputError,
  actionIdSegment,
  machineActionsFilter,
  machineIdSegment,
  odataString,
  queryString,
} from '../../bot/defender/odata';
import { parseFilter, type Expr } from '../../sandbox/defender/odata-parser';
import { hasLoneSurrogate, hostileText, nearMachineId } from './support/hostile-strings';
import { readQuery } from './support/defender-urls';

/**
 * Property tests on the helpers that turn text into Defender URLs (bot/defender/odata.ts).
 * Each generated input either gives a typed InvalidInputError with a chat-fit message,
 * or output that parses back to exactly the input: one balanced literal, one path.
 * Lone surrogates are counted apart: see client-urls.test.ts for why.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BASE = new URL('https://api.securitycenter.microsoft.com/');

function typedRefusal(e: unknown): void {
  expect(e).toBeInstanceOf(InvalidInputError);
  const msg = (e as InvalidInputError).chatMessage;
  expect(msg.length).toBeGreaterThan(5);
  expect(msg).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace in a chat message
}

test('odataString: every text becomes one balanced literal that reads back as itself', () => {
  let tried = 0;
  let literals = 0;
  let refused = 0;
  fc.assert(
    fc.property(hostileText, (s) => {
      tried++;
      let lit: string;
      try {
        lit = odataString(s);
      } catch (e) {
        typedRefusal(e);
        // Refused only for what no device name holds: control characters, broken UTF-16.
        expect(CONTROL.test(s) || hasLoneSurrogate(s)).toBe(true);
        refused++;
        return;
      }
      literals++;
      expect(lit).toMatch(/^'(?:[^']|'')*'$/s);
      expect(lit.slice(1, -1).replace(/''/g, "'")).toBe(s);
      const parsed = parseFilter(`computerDnsName eq ${lit}`, ['computerDnsName']);
      expect(parsed).toEqual({
        kind: 'compare',
        op: 'eq',
        left: { kind: 'field', name: 'computerDnsName' },
        right: { kind: 'literal', value: s },
      });
    }),
    { numRuns: 5000 },
  );
  console.log(
    `hostile-input: odataString: ${tried} generated texts, ${literals} balanced literals read back exactly, ` +
      `${refused} refused with InvalidInputError, 0 unescaped quotes`,
  );
});

test('machine and action id segments: 40 hex / a GUID, or a typed refusal; the path never changes', () => {
  let tried = 0;
  let accepted = 0;
  fc.assert(
    fc.property(nearMachineId, fc.oneof(fc.uuid(), hostileText), (m, a) => {
      tried++;
      try {
        const seg = machineIdSegment(m);
        expect(seg).toMatch(/^[0-9a-f]{40}$/i);
        expect(new URL(`api/machines/${seg}`, BASE).pathname).toBe(`/api/machines/${seg}`);
        accepted++;
      } catch (e) {
        typedRefusal(e);
      }
      try {
        const seg = actionIdSegment(a);
        expect(new URL(`api/machineactions/${seg}`, BASE).pathname).toBe(`/api/machineactions/${seg}`);
        expect(seg).toMatch(/^[0-9a-f-]{36}$/i);
      } catch (e) {
        typedRefusal(e);
      }
    }),
    { numRuns: 3000 },
  );
  console.log(
    `hostile-input: id segments: ${tried} generated id pairs, ${accepted} valid machine ids, 0 path changes`,
  );
});

test('machineActionsFilter: machine id validated, any type text stays one literal', () => {
  let tried = 0;
  let built = 0;
  fc.assert(
    fc.property(nearMachineId, hostileText, (machineId, type) => {
      tried++;
      let filter: string | undefined;
      try {
        filter = machineActionsFilter({ machineId, type, statuses: ['Pending', 'InProgress'] });
      } catch (e) {
        typedRefusal(e);
        return;
      }
      built++;
      const expr = parseFilter(filter!, ['machineId', 'type', 'status']);
      const eq = (field: string, value: string): Expr => ({
        kind: 'compare',
        op: 'eq',
        left: { kind: 'field', name: field },
        right: { kind: 'literal', value },
      });
      const statuses: Expr = { kind: 'or', left: eq('status', 'Pending'), right: eq('status', 'InProgress') };
      const head: Expr = { kind: 'and', left: eq('machineId', machineId), right: eq('type', type) };
      expect(expr).toEqual({ kind: 'and', left: head, right: statuses });
    }),
    { numRuns: 2000 },
  );
  console.log(
    `hostile-input: machineActionsFilter: ${tried} generated, ${built} built and parsed back exactly`,
  );
});

test('queryString: a hostile $filter value never adds a parameter, a fragment or a path', () => {
  let tried = 0;
  let surrogates = 0;
  fc.assert(
    fc.property(hostileText, fc.integer({ min: 1, max: 10_000 }), (v, top) => {
      if (hasLoneSurrogate(v)) {
        surrogates++; // covered by its own test below
        return;
      }
      tried++;
      const qs = queryString({ $filter: v, $top: top, $skip: undefined });
      const raw = `/api/machines${qs}`;
      expect(raw.split('?')).toHaveLength(2);
      const params = new URLSearchParams(qs.slice(1));
      expect([...params.keys()]).toEqual(['$filter', '$top']);
      expect(decodeURIComponent(qs.slice(1).split('&')[0]!.slice('$filter='.length))).toBe(v);
      expect(raw).not.toContain('#');
      expect([...readQuery(qs.slice(1)).entries()]).toEqual([
        ['$filter', v],
        ['$top', String(top)],
      ]);
    }),
    { numRuns: 3000 },
  );
  console.log(
    `hostile-input: queryString: ${tried} generated values, 0 extra parameters (${surrogates} lone-surrogate inputs set aside)`,
  );
});

test('lone surrogates: a typed InvalidInputError, not a URIError (docs/defender-api.md: no user text unescaped)', () => {
  const inputs = ['\ud800', 'ws-\udfff', `a${'\ud83d'}b`];
  const outcomes = inputs.map((s) => {
    try {
      return queryString({ $filter: odataString(s) });
    } catch (e) {
      return e;
    }
  });
  console.log(
    `hostile-input: lone surrogates: ${inputs.length} tried, ` +
      `${outcomes.filter((o) => o instanceof InvalidInputError).length} typed refusals`,
  );
  for (const o of outcomes) expect(o).toBeInstanceOf(InvalidInputError);
});
