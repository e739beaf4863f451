import { parseCommand, suggestCommand } from '../../bot/commands';

/** The words of issue #13: `pending` and `cancel <request id>`. */
describe('pending and cancel', () => {
  it('pending takes no argument and ignores trailing words', () => {
    expect(parseCommand({ text: 'pending' })).toEqual({ kind: 'pending' });
    expect(parseCommand({ text: '  PENDING please ' })).toEqual({ kind: 'pending' });
    expect(
      parseCommand({ text: '<at>Offboarder</at> pending', mentionTexts: ['<at>Offboarder</at>'] }),
    ).toEqual({
      kind: 'pending',
    });
  });

  it('cancel needs a request id, normalized like status', () => {
    expect(parseCommand({ text: 'cancel ofb-7k2mxq40' })).toEqual({
      kind: 'cancel',
      requestId: 'OFB-7K2MXQ40',
    });
    expect(parseCommand({ text: 'cancel "OFB-7K2MXQ40"' })).toEqual({
      kind: 'cancel',
      requestId: 'OFB-7K2MXQ40',
    });
    expect(parseCommand({ text: 'cancel' })).toMatchObject({
      kind: 'invalid',
      code: 'missing_request_id',
      message: expect.stringContaining('cancel {request id}'),
    });
    expect(parseCommand({ text: 'cancel ws-042' })).toMatchObject({
      kind: 'invalid',
      code: 'bad_request_id',
    });
  });

  const status = (failed?: true) => ({
    kind: 'status',
    requestId: 'OFB-7K2MXQ40',
    ...(failed && { failed }),
  });
  it.each([
    ['status OFB-7K2MXQ40 failed', status(true)],
    ['STATUS ofb-7k2mxq40  FAILED ', status(true)],
    ['status OFB-7K2MXQ40', status()],
    ['status OFB-7K2MXQ40 please', status()],
    ['status OFB-7K2MXQ40 failed now', status()],
  ])(
    'status … failed asks for the failed devices; anything else after the id is ignored as before: %j',
    (text, expected) => {
      expect(parseCommand({ text })).toEqual(expected);
    },
  );

  it('status failed without an id is refused', () => {
    expect(parseCommand({ text: 'status failed' })).toMatchObject({
      kind: 'invalid',
      code: 'bad_request_id',
    });
  });

  it('a complaint carries its catalogue key and values beside the English text', () => {
    const r = parseCommand({ text: 'cancel ws-042' });
    expect(r).toMatchObject({
      kind: 'invalid',
      key: 'errors.parse.badRequestId',
      params: { token: '`ws-042`', usage: { key: 'help.cancelUsage' } },
    });
    expect(r.kind === 'invalid' && r.message).toMatch(/^`ws-042` is not a request id/);
  });

  it('suggests the new words for typos', () => {
    expect(suggestCommand('pendng')).toBe('pending');
    expect(suggestCommand('cancle')).toBe('cancel');
  });
});
