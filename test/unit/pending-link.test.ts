import { cardLink } from '../../bot/offboarding/pending';
import { pendingText } from '../../bot/teams/replies';
import { translator } from '../../bot/i18n';

const en = translator('en');
import { NOW, at, request } from '../fakes/requests';

/** Deep links to a request's card (Teams' `l/message` format) and the `pending` answer. */
describe('cardLink', () => {
  it('a channel thread: channel id, card message id, the thread root as parentMessageId', () => {
    const r = request({
      conversation: {
        conversationId: '19:abc@thread.tacv2;messageid=1700000000001',
        reference: { conversation: { conversationType: 'channel' } },
        cardActivityId: '1700000000002',
      },
    });
    expect(cardLink(r)).toBe(
      'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000002?tenantId=tenant-1&parentMessageId=1700000000001',
    );
  });

  it('a group chat: chat id and message id with the chat context; no card yet: no link', () => {
    const r = request({
      conversation: {
        conversationId: '19:chat@thread.v2',
        reference: { conversation: { conversationType: 'groupChat' } },
        cardActivityId: '1700000000003',
      },
    });
    expect(cardLink(r)).toBe(
      'https://teams.microsoft.com/l/message/19%3Achat%40thread.v2/1700000000003?tenantId=tenant-1&context=%7B%22contextType%22%3A%22chat%22%7D',
    );
    expect(cardLink(request())).toBeUndefined();
  });
});

describe('pendingText', () => {
  it('shows requester and age only for requests of this conversation', () => {
    const here = request({ id: 'OFB-AAAAAAAA', state: 'awaiting_approval', createdAt: at(-3 * 3600_000) });
    const elsewhere = request({ id: 'OFB-BBBBBBBB', state: 'awaiting_approval' });
    const text = pendingText(
      en,
      [
        { request: here, role: 'approve', here: true },
        { request: elsewhere, role: 'approve', here: false },
      ],
      2,
      NOW,
    );
    expect(text).toMatch(/OFB-AAAAAAAA\*\*: ws-042\.contoso\.local, requested by Riya Requester 3 h ago/);
    expect(text).toMatch(/OFB-BBBBBBBB\*\*: ws-042\.contoso\.local\. Awaiting/);
    expect(text).toMatch(/and 2 more/);
    expect(pendingText(en, [], 0, NOW)).toMatch(/Nothing waits for you/);
  });
});
