/**
 * Refusals, typed errors and the parser's complaints reach chat through one place
 * (bot/teams/localized-errors.ts): said by catalogue key, English the same as their
 * `message`, Russian with the same values, and a text without a key shown as written.
 */
import { canOpen, decide, stateWord, type DecisionContext, type Roster } from '../../bot/request/policy';
import { newRequest } from '../../bot/request/factory';
import type { OffboardRequest, Person } from '../../bot/request/model';
import { BULK_USAGE, parseCommand } from '../../bot/commands';
import { USAGE } from '../../bot/commands/usage';
import { said, sayIn, translator, withEnglish } from '../../bot/i18n';
import { reachable } from '../../bot/policy-file';
import { AppError } from '../../bot/app-error';
import { DeviceBusyError } from '../../bot/store/types';
import { StoreUnavailableError } from '../../bot/store/store-errors';
import { GraphUnavailableError } from '../../bot/graph/graph-error';
import { DefenderError } from '../../bot/defender/defender-error';
import { appErrorText, invalidCommandText, refusalText } from '../../bot/teams/localized-errors';
import { chatErrorText } from '../../bot/teams/chat-errors';
import { createLogger } from '../../bot/log';
import { Writable } from 'node:stream';

const en = translator('en');
const ru = translator('ru');
const CYRILLIC = /[а-яё]/i;

const T = '11111111-1111-4111-8111-111111111111';
const person = (n: number, name: string): Person => ({
  aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
  name,
});
const alex = person(1, 'Alex Rivera');
const casey = person(3, 'Casey');
const emery = person(5, 'Emery');
const roster: Roster = {
  requesters: new Set([alex.aadObjectId]),
  approvers: new Set([alex.aadObjectId, casey.aadObjectId]),
  allowedTenantIds: new Set([T]),
};
const NOW = Date.parse('2026-11-29T10:00:00Z');
const draft = (): OffboardRequest =>
  newRequest({
    id: 'OFB-TEST0001',
    now: NOW,
    ttlMs: 3600_000,
    tenantId: T,
    requester: alex,
    conversation: { conversationId: 'conv-1', reference: {} },
    machine: { id: 'a'.repeat(40), computerDnsName: 'ws-042.contoso.local', machineTags: [] },
    approvalsRequired: 2,
  });
const ctx = (actor: Person, extra: Partial<DecisionContext> = {}): DecisionContext => ({
  actor,
  tenantId: T,
  conversationId: 'conv-1',
  now: NOW + 1000,
  roster,
  ...extra,
});
const submitted = (): OffboardRequest => {
  const d = decide(draft(), { kind: 'submit', comment: 'Laptop stolen' }, ctx(alex));
  if (!d.ok) throw new Error(d.message);
  return d.request;
};
const refused = (d: ReturnType<typeof decide> | undefined) => {
  if (!d || d.ok) throw new Error('not a refusal');
  return d;
};

/** Every refusal the policy writes, with what Russian readers should see. */
const POLICY_CASES: Array<[string, ReturnType<typeof decide> | undefined, string]> = [
  [
    'finished',
    decide({ ...submitted(), state: 'rejected' }, { kind: 'approve' }, ctx(casey)),
    'Запрос OFB-TEST0001 уже отклонён.',
  ],
  [
    'in progress',
    decide({ ...submitted(), state: 'executing' }, { kind: 'approve' }, ctx(casey)),
    'Запрос OFB-TEST0001 утверждён и уже выполняется.',
  ],
  [
    'only the requester submits',
    decide(draft(), { kind: 'submit', comment: 'x' }, ctx(casey)),
    'Отправить этот запрос может только Alex Rivera, создавший(ая) его.',
  ],
  [
    'comment locked',
    decide(submitted(), { kind: 'submit', comment: 'x' }, ctx(alex)),
    'Утверждение уже запрошено; комментарий изменить нельзя.',
  ],
  [
    'empty comment',
    decide(draft(), { kind: 'submit', comment: '  ' }, ctx(alex)),
    'Введите комментарий (от 1 до 1000 символов): текст пустой.',
  ],
  [
    'long comment',
    decide(draft(), { kind: 'submit', comment: 'x'.repeat(2001) }, ctx(alex)),
    'Введите комментарий (от 1 до 1000 символов): в тексте 2001 символ.',
  ],
  [
    'long comment, few',
    decide(draft(), { kind: 'submit', comment: 'x'.repeat(1002) }, ctx(alex)),
    'Введите комментарий (от 1 до 1000 символов): в тексте 1002 символа.',
  ],
  [
    'long comment, many',
    decide(draft(), { kind: 'submit', comment: 'x'.repeat(1005) }, ctx(alex)),
    'Введите комментарий (от 1 до 1000 символов): в тексте 1005 символов.',
  ],
  [
    'control characters',
    decide(draft(), { kind: 'submit', comment: 'a\u0007b' }, ctx(alex)),
    'Введите комментарий (от 1 до 1000 символов): текст содержит управляющие символы.',
  ],
  [
    'not submitted',
    decide(draft(), { kind: 'approve' }, ctx(casey)),
    'Автор запроса ещё не отправил его на утверждение.',
  ],
  [
    'self approval',
    decide(submitted(), { kind: 'approve' }, ctx(alex)),
    'Вы создали этот запрос, поэтому не можете его утвердить.',
  ],
  [
    'not an approver',
    decide(submitted(), { kind: 'approve' }, ctx(emery)),
    'Вы не входите в число утверждающих для вывода устройств из Defender.',
  ],
  [
    'requester revoked',
    decide(submitted(), { kind: 'approve' }, ctx(casey, { roster: { ...roster, requesters: new Set() } })),
    'Alex Rivera, создавший(ая) этот запрос, больше не имеет права запрашивать вывод устройств: запрос нельзя утвердить.',
  ],
  [
    'reject state',
    decide({ ...submitted(), state: 'executing' }, { kind: 'reject', reason: 'x' }, ctx(casey, { roster })),
    '',
  ],
  [
    'requester rejects',
    decide(submitted(), { kind: 'reject', reason: 'x' }, ctx(alex)),
    'Вы создали этот запрос: используйте кнопку «Отменить».',
  ],
  [
    'empty reason',
    decide(submitted(), { kind: 'reject', reason: '' }, ctx(casey)),
    'Укажите причину (от 1 до 500 символов): текст пустой.',
  ],
  [
    'only the requester cancels',
    decide(submitted(), { kind: 'cancel' }, ctx(casey)),
    'Отменить этот запрос может только Alex Rivera, создавший(ая) его.',
  ],
  [
    'other tenant',
    decide(submitted(), { kind: 'approve' }, ctx(casey, { tenantId: undefined })),
    'Этот запрос относится к другой организации.',
  ],
  [
    'wrong tenant to open',
    canOpen(alex, 'other-tenant', roster),
    'Этот бот не обслуживает вашу организацию.',
  ],
  [
    'not a requester',
    canOpen(casey, T, roster),
    'У вас нет права запрашивать вывод устройств из Defender. Обратитесь к руководителю службы безопасности.',
  ],
];

describe('policy refusals', () => {
  it.each(POLICY_CASES.filter(([, , want]) => want))('%s', (_name, d, want) => {
    const r = refused(d);
    expect(refusalText(en, r)).toBe(r.message);
    expect(refusalText(ru, r)).toBe(want);
  });

  it('every wording the policy can write has a Russian text', () => {
    for (const [name, d] of POLICY_CASES) {
      const r = refused(d);
      const text = refusalText(ru, r);
      expect([name, CYRILLIC.test(text), /\{\w+\}/.test(text)]).toEqual([name, true, false]);
    }
  });

  it('a use case’s refusal is said by key, values that are texts in the same language', () => {
    const ruleForbids = withEnglish(said('errors.ruleForbids', { rule: 'Servers' }));
    expect(ruleForbids.message).toBe('Devices under the rule "Servers" cannot be offboarded from chat.');
    expect(refusalText(ru, ruleForbids)).toBe(
      'Устройства под правилом «Servers» нельзя вывести из Defender через чат.',
    );
    const nothing = withEnglish(
      said('errors.cancelNothing', { id: 'OFB-TEST0001', state: stateWord('outcome_unknown') }),
    );
    expect(nothing.message).toBe(
      'Request OFB-TEST0001 is already outcome unknown: there is nothing to cancel.',
    );
    expect(refusalText(ru, nothing)).toBe(
      'Запрос OFB-TEST0001 уже завершён с неизвестным результатом: отменять нечего.',
    );
    expect(refusalText(en, nothing)).toBe(nothing.message);
    expect(refusalText(ru, withEnglish(said('errors.wrongTenant')))).toBe(
      'Этот бот не обслуживает вашу организацию.',
    );
  });

  it('a rule that can never be approved explains itself with both counts in the reader’s plural forms', () => {
    const rule = {
      name: 'Servers',
      allowed: true,
      approvers: { users: ['a', 'b'], groups: [] },
      approvalsRequired: 3,
    };
    const r = reachable(rule, 'a');
    if (r.ok !== false) throw new Error('expected a refusal');
    expect(refusalText(en, r)).toBe(
      'This request could never be approved: the rule "Servers" needs 3 approvals from people other than you, ' +
        'and only 1 other person is an approver. Ask your security lead.',
    );
    expect(refusalText(ru, r)).toBe(
      'Этот запрос никогда не удастся утвердить: правилу «Servers» нужно 3 утверждения от других людей, ' +
        'а других утверждающих, кроме вас: 1 человек. Обратитесь к руководителю службы безопасности.',
    );
  });

  it('the bulk stop refusal has its Russian text', () => {
    const r = withEnglish(said('errors.bulkStopNotAllowed', { name: 'Alex Rivera', id: 'OFB-TEST0001' }));
    expect(r.message).toBe('Only Alex Rivera, who opened request OFB-TEST0001, or an approver can stop it.');
    expect(refusalText(ru, r)).toBe(
      'Остановить его может только Alex Rivera, создавший(ая) запрос OFB-TEST0001, или утверждающий.',
    );
  });

  it('a text without a key is shown in English as written', () => {
    expect(refusalText(ru, { message: 'A wording from outside the catalogue.' })).toBe(
      'A wording from outside the catalogue.',
    );
  });
});

describe('parser complaints', () => {
  const cases: Array<[string, RegExp]> = [
    [
      'offboard',
      /^Какое устройство вывести из Defender\?\n\nФормат: `offboard \{устройство\} \[комментарий\]`/,
    ],
    [
      'offboard ws-042 ' + 'x'.repeat(1001),
      /^Длина комментария — 1001 символ, а допускается не больше 1000\./,
    ],
    ['offboard ' + 'a'.repeat(254), /^Имя устройства слишком длинное: в имени не больше 253 символов\./],
    ['offboard ws\u200b042', /^В имени устройства `ws.042` есть невидимый символ \(U\+200B/u],
    ['offboard 6f9619ff-8b86-d011-b42d-00c04fc964ff', /похоже на ИД устройства в Entra/],
    ['offboard ' + 'a'.repeat(39), /похоже на ИД устройства в Defender.*а здесь их 39\./s],
    ['offboard ws_042!', /не может быть устройством \(/],
    ['status', /^Какой запрос\?\n\nФормат: `status \{ИД запроса\}`/],
    ['cancel nope', /не идентификатор запроса.*\n\nФормат: `cancel \{ИД запроса\}`/s],
    ['offboard ws-042 a\u0007', /^В сообщении есть скрытый управляющий символ \(U\+0007/],
    ['x'.repeat(2001), /^Сообщение слишком длинное: в команде не больше 2000 символов/],
  ];
  it.each(cases.map(([text, want]) => [text.slice(0, 40), text, want] as const))(
    '%s',
    (_label, text, want) => {
      const cmd = parseCommand({ text });
      if (cmd.kind !== 'invalid') throw new Error(`not invalid: ${cmd.kind}`);
      expect(invalidCommandText(en, cmd)).toBe(cmd.message);
      expect(invalidCommandText(ru, cmd)).toMatch(want);
    },
  );
});

describe('bulk parser complaints', () => {
  const cases: Array<[string, RegExp]> = [
    [
      'offboard ws-1,, ws-2',
      /^В списке пустой элемент.*\n\nФормат: `offboard \{устройство\}, \{устройство\}, … \[комментарий\]` или `offboard tag:\{тег\} group:"\{группа устройств\}" inactive:\{N\}d/s,
    ],
    [
      'offboard ws-1, WS-1',
      /^`WS-1` указано дважды \(ещё и как `ws-1`\)\. Укажите каждое устройство один раз\.$/,
    ],
    ['offboard inactive:30d', /^`inactive:` без других условий/],
    ['offboard tag:a tag:b', /^Укажите `tag:` только один раз\./],
    ['offboard group:"Lab', /^Кавычка после `group:` не закрыта\./],
    ['offboard tag: ws-1', /^После `tag:` нужно значение, например `tag:retired`\./],
    ['offboard tag:x inactive:3x', /^`3x` — не число дней/],
    [
      'offboard tag:x inactive:1000d',
      /^`inactive:` принимает от \d+ до (\d+) дней \(Defender хранит устройства не больше \1 дней\); 1000 — вне диапазона\./,
    ],
    [
      'offboard ws-1, ws-2 ' + 'x'.repeat(1001),
      /^Длина комментария — 1001 символ, а допускается не больше 1000\.$/,
    ],
    [
      'offboard ws-1, ws_2!',
      /не может быть устройством.*\n\nФормат: `offboard \{устройство\}, \{устройство\}/s,
    ],
  ];
  it.each(cases)('%s', (text, want) => {
    const cmd = parseCommand({ text, bulkMaxDevices: 3 });
    if (cmd.kind !== 'invalid') throw new Error(`not invalid: ${cmd.kind}`);
    expect(invalidCommandText(en, cmd)).toBe(cmd.message);
    expect(invalidCommandText(ru, cmd)).toMatch(want);
  });

  it('counts devices with Russian plural forms', () => {
    const cmd = parseCommand({ text: 'offboard a1, a2, a3, a4, a5', bulkMaxDevices: 3 });
    if (cmd.kind !== 'invalid') throw new Error(cmd.kind);
    expect(invalidCommandText(ru, cmd)).toBe(
      'Вы указали 5 устройств, а в одном запросе не больше 3. Разделите список.',
    );
  });

  it("the bulk usage line is the catalogue's", () => {
    expect(sayIn(en, USAGE.bulk)).toBe(BULK_USAGE);
  });
});

describe('typed errors', () => {
  it('known codes are translated, with their values', () => {
    const busy = new AppError('busy', said('errors.busy'));
    expect(busy.chatMessage).toBe('This request is changing very fast right now; please try again.');
    expect(appErrorText(ru, busy)).toBe('Этот запрос сейчас очень часто меняется; повторите попытку.');
    expect(appErrorText(ru, new DeviceBusyError('a'.repeat(40), 'OFB-TEST0001'))).toBe(
      'Для этого устройства уже есть открытый запрос на вывод из Defender (OFB-TEST0001).',
    );
    expect(appErrorText(ru, new DeviceBusyError('a'.repeat(40), undefined))).toBe(
      'Для этого устройства уже есть открытый запрос на вывод из Defender.',
    );
    expect(appErrorText(ru, new StoreUnavailableError('disk full'))).toMatch(/^Бот сейчас не может читать/);
    expect(appErrorText(ru, new GraphUnavailableError('503'))).toMatch(/^Сейчас не удаётся проверить/);
    const withParams = new AppError('expired', said('errors.expired', { id: 'OFB-TEST0001' }));
    expect(withParams.chatMessage).toBe('Request OFB-TEST0001 has expired.');
    expect(appErrorText(ru, withParams)).toBe('Срок запроса OFB-TEST0001 истёк.');
  });

  it("Defender's failures are said by key; Defender's own code and our support reference are values", () => {
    const e = new DefenderError({
      kind: 'http',
      operation: 'offboard',
      status: 400,
      defenderCode: 'InvalidInput',
      defenderMessage: 'Bad thing',
      target: 'corr-9',
    });
    expect(e.key).toBe('errors.defender.badRequest');
    expect(appErrorText(en, e)).toBe(e.chatMessage);
    expect(e.chatMessage).toBe(
      'Defender rejected the request to offboard the device (400 InvalidInput). (support reference: corr-9)',
    );
    expect(appErrorText(ru, e)).toBe(
      'Defender отклонил попытку вывести устройство из Defender (400 InvalidInput). (код для поддержки: corr-9)',
    );
    const throttled = new DefenderError({
      kind: 'http',
      operation: 'listMachines',
      status: 429,
      retryAfterMs: 1500,
    });
    expect(appErrorText(ru, throttled)).toBe(
      'Defender ограничивает частоту запросов бота (429) при попытке найти устройства; он просит подождать 2 с. ' +
        'Повторите попытку чуть позже.',
    );
  });

  it('an unexpected error gets the reference in the reader’s language', () => {
    const logs: string[] = [];
    const logger = createLogger({
      level: 'error',
      destination: new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }),
    });
    const text = chatErrorText(new Error('boom'), logger, {}, ru);
    const ref = /код обращения ([0-9a-f]{8})/.exec(text)?.[1];
    expect(ref).toBeDefined();
    expect(logs.join('')).toContain(ref!);
    expect(chatErrorText(new Error('boom'), logger, {})).toMatch(
      /^Something went wrong on my side \(reference [0-9a-f]{8}\)/,
    );
  });
});
