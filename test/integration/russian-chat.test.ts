import { cardText, startHarness, verbs, waitForNewCard, type Harness } from '../fakes/harness';
import { invokeActivity, messageActivity, postActivity, user, channel, type Where } from '../fakes/teams';
import { invokeMessage, waitUntil } from '../fakes/flow';

/**
 * A Russian-speaking requester over HTTP (docs/i18n.md): replies in the language of the
 * activity, thread posts in the requester's stored language, the Defender comment in
 * English whatever the language.
 */
jest.setTimeout(40_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maintenanceMs: 200, env: { REMINDER_AFTER_MINUTES: '5' } });
});
afterAll(() => h.close());

const RU = 'ru-RU';

function say(who: string, text: string, where: Where, locale?: string) {
  const a = messageActivity({ serviceUrl: h.connector.url, from: user(who), text, where });
  return postActivity(h.runtime.botUrl, locale ? { ...a, locale } : a);
}

function click(who: string, verb: string, data: Record<string, unknown>, where: Where, locale?: string) {
  const a = invokeActivity({ serviceUrl: h.connector.url, from: user(who), verb, data, where });
  return postActivity(h.runtime.botUrl, locale ? { ...a, locale } : a);
}

async function reply(send: () => Promise<{ status: number }>): Promise<string> {
  const since = h.connector.sent.length;
  expect((await send()).status).toBe(200);
  const a = await h.connector.waitFor(
    (x) => h.connector.sent.indexOf(x) >= since && x.op !== 'update' && typeof x.activity.text === 'string',
  );
  return String(a.activity.text);
}

const threadPosts = (requestId: string, pattern: RegExp) =>
  h.connector.sent.filter(
    (a) =>
      a.op !== 'update' &&
      String(a.activity.text ?? '').includes(requestId) &&
      pattern.test(String(a.activity.text)),
  );

it('answers typed commands in the language of the message', async () => {
  const where = channel('ru-commands');
  expect(await reply(() => say('alex', 'ofboard ws-042', where, RU))).toMatch(
    /^Я не знаю команды «ofboard»\. Возможно, вы имели в виду `offboard`\?\n\n\*\*Offboarder\*\* выводит устройства/,
  );
  expect(await reply(() => say('alex', 'offboard', where, RU))).toBe(
    'Какое устройство вывести из Defender?\n\n' +
      'Формат: `offboard {устройство} [комментарий]`, например `offboard WS-042 Ноутбук сдан в ИТ`',
  );
  expect(await reply(() => say('alex', 'status OFB-7K2MXQ4', where, RU))).toMatch(
    /не идентификатор запроса.*\n\nФормат: `status \{ИД запроса\}`, например `status OFB-7K2MXQ40`$/s,
  );
  expect(await reply(() => say('alex', 'status OFB-7K2MXQ40', where, RU))).toBe(
    'Запрос OFB-7K2MXQ40, доступный вам здесь, не найден.',
  );
  expect(await reply(() => say('emery', 'pending', where, RU))).toMatch(/^Вас ничего не ждёт/);
  expect(await reply(() => say('emery', 'offboard ws-042', where, RU))).toBe(
    'У вас нет права запрашивать вывод устройств из Defender. Обратитесь к руководителю службы безопасности.',
  );
  expect(await reply(() => say('alex', 'offboard mac-design-01', where, RU))).toMatch(
    /^Не могу вывести из Defender \*\*mac-design-01\S*\*\* \(macOS, ИД `[0-9a-f]{40}`\): API отключения Defender поддерживает .*на этом устройстве — macOS\./,
  );
  expect(await reply(() => say('alex', 'help', where, RU))).toBe(
    'Offboarder выводит устройства из Defender после утверждения вторым человеком. Что вы можете сделать:',
  );
  // The same command without a locale: English, as before.
  expect(await reply(() => say('alex', 'status OFB-7K2MXQ40', where))).toBe(
    'I know no request OFB-7K2MXQ40 that you can see here.',
  );
});

it('keeps the requester’s language for thread posts, refuses in the clicker’s, and tells Defender in English', async () => {
  const where = channel('ru-flow');
  const since = h.connector.sent.length;
  expect((await say('alex', 'offboard ws-042 Ноутбук украден', where, RU)).status).toBe(200);
  const { requestId, card } = await waitForNewCard(h, since);
  expect((await h.runtime.store.get(requestId))!.requester.locale).toBe('ru');
  // One card for the whole channel, in the requester's language.
  expect(cardText(h.latestCard(requestId))).toContain('Черновик');

  const submitted = await click('alex', verbs.submit, { requestId, comment: 'Ноутбук украден' }, where, RU);
  expect(typeof invokeMessage(submitted)).toBe('object');

  // Refusals in the clicker's language: Russian for Emery in Russian, English for Alex without a locale.
  expect(invokeMessage(await click('emery', verbs.approve, { requestId }, where, RU))).toBe(
    'Вы не входите в число утверждающих для вывода устройств из Defender.',
  );
  expect(invokeMessage(await click('alex', verbs.approve, { requestId }, where))).toBe(
    'You opened this request, so you cannot approve it.',
  );
  expect(invokeMessage(await click('alex', verbs.approve, { requestId }, where, RU))).toBe(
    'Вы создали этот запрос, поэтому не можете его утвердить.',
  );

  // The reminder addresses approvers and the requester: in the requester's language, with plural forms.
  h.advance(6 * 60_000);
  await waitUntil(() => threadPosts(requestId, /Напоминание/).length > 0);
  expect(String(threadPosts(requestId, /Напоминание/)[0]!.activity.text)).toMatch(
    new RegExp(`Напоминание: запросу ${requestId} на вывод из Defender ws-042\\S* ещё нужно 2 утверждения;`),
  );

  // Approvers click in English; the final notice goes to the requester, in Russian.
  await click('casey', verbs.approve, { requestId }, where);
  await click('devon', verbs.approve, { requestId }, where);
  await waitUntil(() => threadPosts(requestId, /завершён/).length > 0, 20_000);
  const notice = String(threadPosts(requestId, /завершён/)[0]!.activity.text);
  expect(notice).toMatch(
    new RegExp(`Запрос ${requestId} завершён\\.\\n\\n✅ ws-042\\S* выведено из Defender`),
  );
  expect(threadPosts(requestId, /finished|Reminder/)).toHaveLength(0);

  // Defender's comment is for the portal's readers: provenance in English.
  const post = h.sim.calls.find((c) => c.operation === 'offboard' && c.method === 'POST');
  expect((post!.body as { Comment: string }).Comment).toBe(
    `Ноутбук украден [Offboarder ${requestId}; requested by Alex Rivera; approved by Casey Okafor, Devon Larsen]`,
  );
  expect(card.conversationId).toContain('19:sandbox-general');
});

it('with the Playground, each mock person speaks their own language (it sends en-US for everyone)', async () => {
  const pg = await startHarness({ env: { PLAYGROUND: 'true' } });
  try {
    const where = channel('ru-playground');
    const ask = async (who: string) => {
      const since = pg.connector.sent.length;
      const a = messageActivity({ serviceUrl: pg.connector.url, from: user(who), text: 'pending', where });
      expect((await postActivity(pg.runtime.botUrl, { ...a, locale: 'en-US' })).status).toBe(200);
      const answer = await pg.connector.waitFor(
        (x) => pg.connector.sent.indexOf(x) >= since && x.op !== 'update',
      );
      return String(answer.activity.text);
    };
    expect(await ask('frankie')).toMatch(/^Вас ничего не ждёт/);
    expect(await ask('alex')).toMatch(/^Nothing waits for you/);
  } finally {
    await pg.close();
  }
});
