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

  it('suggests the new words for typos', () => {
    expect(suggestCommand('pendng')).toBe('pending');
    expect(suggestCommand('cancle')).toBe('cancel');
  });
});
