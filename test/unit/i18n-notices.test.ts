/**
 * Thread posts in the requester's language (docs/i18n.md, "Which language"): the final
 * notice with the executor's reasons, the expiry notice, and BOT_DEFAULT_LOCALE when the
 * requester's language is unknown.
 */
import { executionErrorText, finalNotice } from '../../bot/offboarding/notices';
import { keyedError } from '../../bot/offboarding/defender-failures';
import type { StoredError } from '../../bot/request/model';
import { translator } from '../../bot/i18n';
import { machine, people, request, target } from '../fakes/requests';

const ru = translator('ru');
const russian = { ...people.requester, locale: 'ru' as const };
const failed = (error: string | StoredError) =>
  request({
    state: 'failed',
    requester: russian,
    targets: [
      target(machine(), {
        error: typeof error === 'string' ? { code: 'x', message: error, target: 'corr-1' } : error,
      }),
    ],
  });

describe('finalNotice', () => {
  it("says why in the requester's language, Defender's own text quoted as it is", () => {
    const error = keyedError(
      'DefenderTimeout',
      { key: 'notice.error.unreachable', params: { count: '3', detail: 'Defender timed out' } },
      'corr-1',
    );
    expect(error.message).toBe(
      'Defender could not be reached after 3 attempts (Defender timed out). Check the device in the Defender portal before asking again.',
    );
    const r = failed(error);
    expect(finalNotice({ ...r, requester: people.requester })).toContain(error.message);
    expect(finalNotice(r)).toBe(
      `Запрос ${r.id} завершён.\n\n❌ ${r.targets[0]!.computerDnsName} не выведено из Defender: ` +
        'Defender недоступен после 3 попыток (Defender timed out). Прежде чем запрашивать снова, проверьте ' +
        'устройство на портале Defender. (код для поддержки: corr-1)',
    );
  });

  it('English requesters get the text exactly as recorded', () => {
    const r = { ...failed('Something Defender said.'), requester: people.requester };
    expect(finalNotice(r)).toBe(
      `Request ${r.id} is finished.\n\n❌ ${r.targets[0]!.computerDnsName} was not offboarded: Something Defender said. (support reference: corr-1)`,
    );
  });

  it('falls back to BOT_DEFAULT_LOCALE when the requester’s language is unknown', () => {
    const r = request({ state: 'expired' });
    expect(finalNotice(r, 'ru')).toMatch(/^Срок запроса \S+ истёк, утверждений не хватило/);
    expect(finalNotice(r)).toMatch(/^Request \S+ expired without enough approvals/);
  });
});

describe('executionErrorText', () => {
  it('translates the two-person rule re-check, with its reason', () => {
    expect(
      executionErrorText(
        ru,
        keyedError('approval_check_failed', {
          key: 'notice.error.approvalsNoLonger',
          params: { reason: { key: 'notice.error.approvalsCounted', params: { counted: '1', needed: '2' } } },
        }),
      ),
    ).toBe(
      'Утверждения больше не соответствуют правилу двух человек (от нынешних утверждающих 1 из 2 нужных утверждений), поэтому в Defender ничего не отправлено.',
    );
    expect(
      executionErrorText(
        ru,
        keyedError('approval_check_failed', {
          key: 'notice.error.approvalsNoLonger',
          params: { reason: { key: 'notice.error.requesterRevoked', params: { name: 'Alex Rivera' } } },
        }),
      ),
    ).toMatch(/\(Alex Rivera больше не имеет права запрашивать вывод устройств\)/);
    const unconfirmed = keyedError('DefenderOutcomeUnknown', {
      key: 'notice.error.unconfirmed',
      params: { count: '1', detail: 'x' },
    });
    expect(unconfirmed.message).toBe("Defender's answer could not be confirmed after 1 attempts (x).");
    expect(executionErrorText(ru, unconfirmed)).toBe(
      'Ответ Defender не удалось подтвердить после 1 попытки (x).',
    );
  });

  it('an older row without a key shows its English message as written', () => {
    const old = {
      code: 'approval_check_failed',
      message: 'The approvals no longer satisfy the two-person rule (x).',
    };
    expect(executionErrorText(ru, old)).toBe(old.message);
  });
});
