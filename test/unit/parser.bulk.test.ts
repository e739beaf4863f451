import {
  BULK_MAX_DEVICES,
  formatBulkCommand,
  INACTIVE_MAX_DAYS,
  MAX_TEXT_CHARS,
  parseCommand,
  type ParseResult,
} from '../../bot/commands';

const parse = (text: string): ParseResult => parseCommand({ text });
const code = (text: string) => {
  const r = parse(text);
  return r.kind === 'invalid' ? r.code : `not invalid: ${r.kind}`;
};
const names = (...n: string[]) => n.map((name) => ({ by: 'name', name }));

describe('bulk offboard: lists', () => {
  it('reads a comma list; the comment follows the last device', () => {
    expect(parse('offboard ws-1, ws-2, ws-3 retired lab')).toEqual({
      kind: 'offboard_bulk',
      devices: names('ws-1', 'ws-2', 'ws-3'),
      selectors: {},
      comment: 'retired lab',
    });
    expect(parse('offboard ws-1,ws-2')).toEqual({
      kind: 'offboard_bulk',
      devices: names('ws-1', 'ws-2'),
      selectors: {},
    });
    expect(parse('offboard ws-1,\nws-2 , ws-3\nticket 12')).toMatchObject({
      devices: names('ws-1', 'ws-2', 'ws-3'),
      comment: 'ticket 12',
    });
  });

  it('reads one device per line when offboard stands alone on its line', () => {
    expect(parse('offboard\nws-1\nws-2\nws-3 retired lab')).toEqual({
      kind: 'offboard_bulk',
      devices: names('ws-1', 'ws-2', 'ws-3'),
      selectors: {},
      comment: 'retired lab',
    });
    expect(parse('<p>offboard</p><p>ws-1</p><p>ws-2</p>')).toMatchObject({ devices: names('ws-1', 'ws-2') });
  });

  it('keeps the single form exactly as before', () => {
    expect(parse('offboard ws-1 comment, with a comma')).toEqual({
      kind: 'offboard',
      machine: { by: 'name', name: 'ws-1' },
      comment: 'comment, with a comma',
    });
    expect(parse('offboard ws-1 , returned')).toMatchObject({ kind: 'offboard', comment: ', returned' });
    expect(parse('offboard ws-1\nws-2')).toEqual({
      kind: 'offboard',
      machine: { by: 'name', name: 'ws-1' },
      comment: 'ws-2',
    });
    expect(parse('offboard\nws-1 returned')).toEqual({
      kind: 'offboard',
      machine: { by: 'name', name: 'ws-1' },
      comment: 'returned',
    });
    expect(code(`offboard ws ${'x'.repeat(MAX_TEXT_CHARS)}`)).toBe('too_long');
  });

  it('refuses duplicates, empty items and too many devices', () => {
    expect(code('offboard ws-1, WS-1')).toBe('duplicate_device');
    expect(code('offboard ws-1, ws-2, ws-1.')).toBe('duplicate_device');
    expect(code('offboard ws-1,, ws-2')).toBe('empty_item');
    expect(code('offboard ws-1, ws-2,')).toBe('empty_item');
    expect(code('offboard ws-1, bad/name')).toBe('bad_machine');
    const many = Array.from({ length: BULK_MAX_DEVICES + 1 }, (_, i) => `ws-${i}`).join(', ');
    expect(code(`offboard ${many}`)).toBe('too_many_devices');
    expect(parseCommand({ text: 'offboard a, b, c', bulkMaxDevices: 2 })).toMatchObject({
      code: 'too_many_devices',
    });
  });

  it('accepts a list of 500 longer than an ordinary command', () => {
    const list = Array.from({ length: BULK_MAX_DEVICES }, (_, i) => `workstation-${i}.contoso.local`);
    const r = parse(`offboard ${list.join(', ')} retired`);
    expect(r).toMatchObject({ kind: 'offboard_bulk', comment: 'retired' });
    expect(r.kind === 'offboard_bulk' && r.devices.length).toBe(BULK_MAX_DEVICES);
  });
});

describe('bulk offboard: selectors', () => {
  it('reads tag, group (quoted) and inactive, combined, with a comment', () => {
    expect(parse('offboard tag:retired group:"Lab machines" decommissioned')).toEqual({
      kind: 'offboard_bulk',
      devices: [],
      selectors: { tag: 'retired', group: 'Lab machines' },
      comment: 'decommissioned',
    });
    expect(parse('offboard group:Lab inactive:30d')).toEqual({
      kind: 'offboard_bulk',
      devices: [],
      selectors: { group: 'Lab', inactiveDays: 30 },
    });
    expect(parse('offboard TAG:\u201CBüro München\u201D')).toMatchObject({
      selectors: { tag: 'Büro München' },
    });
    expect(parse("offboard tag:O'Brien")).toMatchObject({ selectors: { tag: "O'Brien" } });
  });

  it('narrows a list with inactive:', () => {
    expect(parse('offboard inactive:60d ws-1, ws-2 stale')).toEqual({
      kind: 'offboard_bulk',
      devices: names('ws-1', 'ws-2'),
      selectors: { inactiveDays: 60 },
      comment: 'stale',
    });
  });

  it('refuses bad selectors, inactive alone and days out of range', () => {
    expect(code('offboard tag:')).toBe('bad_selector');
    expect(code('offboard group:"Lab machines')).toBe('bad_selector');
    expect(code('offboard tag:a tag:b')).toBe('bad_selector');
    expect(code('offboard inactive:30')).toBe('bad_selector');
    expect(code('offboard inactive:30d')).toBe('inactive_alone');
    expect(code('offboard inactive:30d old devices')).toBe('inactive_alone');
    expect(code('offboard tag:x inactive:0d')).toBe('days_out_of_range');
    expect(code(`offboard tag:x inactive:${INACTIVE_MAX_DAYS + 1}d`)).toBe('days_out_of_range');
  });

  it('writes a command back as text that parses to the same result', () => {
    for (const text of [
      'offboard ws-1, ws-2, ws-3 retired lab',
      'offboard tag:retired group:"Lab machines" decommissioned',
      'offboard tag:\'say "hi"\' inactive:5d',
      'offboard inactive:60d ws-1, ws-2 stale\nsecond line',
    ]) {
      const r = parse(text);
      if (r.kind !== 'offboard_bulk') throw new Error(`${text}: ${r.kind}`);
      expect(parse(formatBulkCommand(r))).toEqual(r);
    }
  });
});
