import {
  HELP_TEXT,
  MAX_COMMENT_CHARS,
  MAX_RAW_CHARS,
  MAX_TEXT_CHARS,
  parseCommand,
} from '../../bot/commands';
import type { ParseResult } from '../../bot/commands';

const MENTION = '<at>Offboarder</at>';
const ID = '0123456789abcdef0123456789abcdef01234567';

function parse(text: string, mentionTexts: string[] = [MENTION]): ParseResult {
  return parseCommand({ text, mentionTexts });
}

function invalidCode(text: string): string | undefined {
  const r = parse(text);
  if (r.kind !== 'invalid') return undefined;
  expect(r.message.trim()).not.toBe('');
  return r.code;
}

describe('parseCommand: offboard', () => {
  it('reads a short name and the comment after it', () => {
    expect(parse(`${MENTION} offboard WS-042 Laptop returned to IT`)).toEqual({
      kind: 'offboard',
      machine: { by: 'name', name: 'WS-042' },
      comment: 'Laptop returned to IT',
    });
  });

  it('reads a full DNS name and keeps its case', () => {
    expect(parse('offboard WS-042.Contoso.com')).toEqual({
      kind: 'offboard',
      machine: { by: 'name', name: 'WS-042.Contoso.com' },
    });
  });

  it('reads a 40-hex device id and lower-cases it', () => {
    expect(parse(`offboard ${ID.toUpperCase()} gone`)).toEqual({
      kind: 'offboard',
      machine: { by: 'id', id: ID },
      comment: 'gone',
    });
  });

  it.each([
    ['underscore', 'ws_042'],
    ['Unicode letters', 'büro-pc'],
    ['digits after letters', 'x1.corp'],
    ['63-character label', 'a'.repeat(63)],
    ['punycode label', 'xn--bro-pc-9ya.contoso.com'],
  ])('accepts a name with %s', (_, name) => {
    expect(parse(`offboard ${name}`)).toEqual({ kind: 'offboard', machine: { by: 'name', name } });
  });

  it('is case-insensitive and tolerant of extra whitespace', () => {
    expect(parse(`  ${MENTION}   OffBoard \t  ws-042    a   b  `)).toEqual({
      kind: 'offboard',
      machine: { by: 'name', name: 'ws-042' },
      comment: 'a b',
    });
  });

  it('strips one root dot and one pair of wrapping quotes around the device', () => {
    expect(parse('offboard ws-042.contoso.com.')).toMatchObject({ machine: { name: 'ws-042.contoso.com' } });
    expect(parse('offboard "WS-042" x')).toMatchObject({ machine: { name: 'WS-042' }, comment: 'x' });
    expect(parse('offboard \u201CWS-042\u201D')).toMatchObject({ machine: { name: 'WS-042' } });
  });

  it('keeps line breaks in the comment but drops blank lines and repeated spaces', () => {
    const r = parse(`${MENTION} offboard ws-042 first   line<br><br>  second line </p>`);
    expect(r).toMatchObject({ kind: 'offboard', comment: 'first line\nsecond line' });
  });

  it('accepts a comment of exactly the limit and refuses one character more', () => {
    expect(parse(`offboard ws ${'c'.repeat(MAX_COMMENT_CHARS)}`)).toMatchObject({ kind: 'offboard' });
    expect(invalidCode(`offboard ws ${'c'.repeat(MAX_COMMENT_CHARS + 1)}`)).toBe('comment_too_long');
  });

  it('counts the comment in characters, not UTF-16 units', () => {
    expect(parse(`offboard ws ${'😀'.repeat(MAX_COMMENT_CHARS)}`)).toMatchObject({ kind: 'offboard' });
  });

  it('refuses a missing device with the usage', () => {
    const r = parse(`${MENTION} offboard   `);
    expect(r).toMatchObject({ kind: 'invalid', code: 'missing_machine' });
    expect(r.kind === 'invalid' && r.message).toContain('offboard {device} [comment]');
  });

  it.each([
    ['slash', 'ws/042', 'bad_machine'],
    ['percent', 'ws%20', 'bad_machine'],
    ['quote', "o'brien", 'bad_machine'],
    ['backslash', 'corp\\ws', 'bad_machine'],
    ['colon', 'ws:80', 'bad_machine'],
    ['dot dot', 'ws..corp', 'bad_machine'],
    ['leading dot', '.ws', 'bad_machine'],
    ['leading hyphen', '-ws', 'bad_machine'],
    ['trailing hyphen', 'ws-.corp', 'bad_machine'],
    ['64-character label', 'a'.repeat(64), 'bad_machine'],
    ['IP address', '10.0.0.1', 'bad_machine'],
    ['all-digit name', '12345', 'bad_machine'],
    ['Entra device GUID', '1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'bad_machine'],
    ['39-hex id', ID.slice(1), 'bad_machine'],
    ['41-hex id', ID + 'a', 'bad_machine'],
    ['leading combining mark', '\u0301ws', 'bad_machine'],
    ['fullwidth dot', 'ws\u3002corp', 'bad_machine'],
    ['zero-width space', 'ws\u200b042', 'invisible_chars'],
    ['zero-width joiner', 'ws\u200d042', 'invisible_chars'],
    ['BOM inside', 'w\ufeffs', 'invisible_chars'],
    ['Hangul filler', 'ws\u3164', 'invisible_chars'],
    ['254 characters', `${'a'.repeat(60)}.`.repeat(4) + 'a'.repeat(10), 'machine_too_long'],
  ])('refuses a device with a %s', (_, token, code) => {
    expect(invalidCode(`offboard ${token} comment`)).toBe(code);
  });

  it('accepts a name of exactly 253 characters', () => {
    const name = `${'a'.repeat(62)}.`.repeat(4) + 'a';
    expect(name).toHaveLength(253);
    expect(parse(`offboard ${name}`)).toEqual({ kind: 'offboard', machine: { by: 'name', name } });
  });

  it('quotes the bad token safely in the message', () => {
    const r = parse('offboard <b>ws`</b>&lt;x&gt;');
    expect(r.kind).toBe('invalid');
    if (r.kind !== 'invalid') return;
    expect(r.message).not.toMatch(/<|>|``/);
  });
});

describe('parseCommand: status, help, unknown', () => {
  it('reads a request id in any case, with Crockford aliases, prefix optional', () => {
    expect(parse('status OFB-7K2MXQ40')).toEqual({ kind: 'status', requestId: 'OFB-7K2MXQ40' });
    expect(parse('STATUS ofb-7k2mxqlo')).toEqual({ kind: 'status', requestId: 'OFB-7K2MXQ10' });
    expect(parse('status 7K2MXQ40 please')).toEqual({ kind: 'status', requestId: 'OFB-7K2MXQ40' });
    expect(parse('status "OFB-7K2MXQ40"')).toEqual({ kind: 'status', requestId: 'OFB-7K2MXQ40' });
  });

  it('refuses a missing or malformed request id', () => {
    expect(invalidCode('status')).toBe('missing_request_id');
    expect(invalidCode('status OFB-7K2MXQ4')).toBe('bad_request_id');
    expect(invalidCode('status OFB-7K2MXQ4U')).toBe('bad_request_id');
    expect(invalidCode('status ws-042')).toBe('bad_request_id');
  });

  it.each(['help', 'HELP', '?', '', '   ', MENTION, `<p>${MENTION}&nbsp;</p>`, 'help offboard'])(
    'answers help to %j',
    (text) => expect(parse(text)).toEqual({ kind: 'help' }),
  );

  it.each([
    ['ofboard', 'offboard'],
    ['offbaord', 'offboard'],
    ['offbord', 'offboard'],
    ['stauts', 'status'],
    ['state', 'status'],
    ['hlep', 'help'],
    ['hel', 'help'],
  ])('suggests a command for %s', (word, suggestion) => {
    expect(parse(`${word} ws-042`)).toEqual({ kind: 'unknown', word, suggestion });
  });

  it('reports an unknown word without a suggestion when nothing is close', () => {
    expect(parse('reboot ws-042')).toEqual({ kind: 'unknown', word: 'reboot' });
  });

  it('cuts a long unknown word for echoing', () => {
    const r = parse('x'.repeat(500));
    expect(r.kind === 'unknown' && Array.from(r.word).length).toBeLessThanOrEqual(41);
  });

  it('ignores a zero-width space before the command word', () => {
    expect(parse('\u200boffboard ws')).toMatchObject({ kind: 'offboard' });
  });
});

describe('parseCommand: Teams text', () => {
  it('removes the mention at any position, exactly as given', () => {
    expect(parse(`offboard ${MENTION} ws-042 x`)).toMatchObject({
      machine: { name: 'ws-042' },
      comment: 'x',
    });
    expect(parse('<at>Off Boarder</at> help', ['<at>Off Boarder</at>'])).toEqual({ kind: 'help' });
  });

  it('removes leading mentions when no mention texts are given', () => {
    expect(parseCommand({ text: '<at>Whatever Bot</at> offboard ws' })).toMatchObject({ kind: 'offboard' });
    expect(parse('<at>Whatever Bot</at> offboard ws', [''])).toMatchObject({ kind: 'offboard' });
  });

  it('leaves other people mentioned in the comment as plain names', () => {
    expect(parse(`${MENTION} offboard ws cc <at>Alice</at>`)).toMatchObject({ comment: 'cc Alice' });
  });

  it('decodes entities after stripping tags, in one pass', () => {
    const r = parse(
      '<div>offboard ws &quot;a&quot; &#39;b&#39; &amp;lt; &lt;i&gt; &#x263A; &#0; &copy;</div>',
    );
    expect(r).toMatchObject({ comment: '"a" \'b\' &lt; <i> \u263A \uFFFD &copy;' });
  });

  it('keeps a lone "<" typed in a plain-text client', () => {
    expect(parse('offboard ws a < b')).toMatchObject({ comment: 'a < b' });
  });

  it('treats CR LF as a line break', () => {
    expect(parse('offboard ws a\r\nb\rc')).toMatchObject({ comment: 'a\nb\nc' });
  });
});

describe('parseCommand: hostile input', () => {
  it.each([
    ['NUL', 'offboard ws\u0000'],
    ['escape', 'offboard ws \u001b[31m'],
    ['DEL', 'offboard ws \u007f'],
    ['C1', 'offboard ws \u0085'],
    ['RLO', 'offboard ws \u202e'],
    ['isolate', 'offboard ws \u2066x\u2069'],
    ['lone surrogate', 'offboard ws \ud800'],
    ['encoded control', 'offboard ws &#27;'],
  ])('refuses %s anywhere', (_, text) => {
    expect(invalidCode(text)).toBe('control_chars');
  });

  it('allows tabs, newlines and emoji ZWJ sequences in the comment', () => {
    expect(parse('offboard ws a\tb 👩\u200d💻')).toMatchObject({ comment: 'a b 👩\u200d💻' });
  });

  it('refuses text longer than the limit after markup is removed, and huge raw text at once', () => {
    expect(parse(`<p>help ${'x'.repeat(MAX_TEXT_CHARS - 5)}</p>`)).toEqual({ kind: 'help' });
    expect(invalidCode(`offboard ws ${'x'.repeat(MAX_TEXT_CHARS)}`)).toBe('too_long');
    expect(invalidCode('x'.repeat(MAX_RAW_CHARS + 1))).toBe('too_long');
  });

  it('never throws for inputs outside the type', () => {
    const bad = [
      undefined,
      null,
      42,
      {},
      { text: 5 },
      { text: 'help', mentionTexts: 'x' },
      { text: 'help', mentionTexts: [1] },
    ];
    for (const input of bad) {
      expect(() => parseCommand(input as never)).not.toThrow();
    }
  });
});

describe('HELP_TEXT', () => {
  it('documents every command with an example', () => {
    for (const word of ['offboard {device} [comment]', 'status {request id}', 'help', 'Example']) {
      expect(HELP_TEXT).toContain(word);
    }
  });
});
