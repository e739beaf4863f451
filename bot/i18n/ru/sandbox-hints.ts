import type { Translation } from '../message';
import type { sandbox as en } from '../en/sandbox-hints';

export const sandbox: Translation<typeof en> = {
  'sandbox.running':
    'Песочница Offboarder запущена: Defender имитируется, ничего по-настоящему не выводится.',
  'sandbox.open': 'Откройте Teams (Microsoft 365 Agents Playground): {url}',
  'sandbox.where': 'В «{chat}» или в канале команды «{team}» упомяните @{bot}:',
  'sandbox.exOffboard': 'карточка запроса; добавьте комментарий и нажмите «На утверждение»',
  'sandbox.exTwoMatch': 'подходят два устройства: бот спросит, какое',
  'sandbox.exBulk':
    'массовая очистка: 120 устройств лаборатории под одно утверждение (сначала подтвердите число)',
  'sandbox.exStatus': 'ИД запроса указан на карточке',
  'sandbox.exPending': 'что ждёт вас, со ссылками на карточки',
  'sandbox.notPersonal': '(Не в «Personal Chat»: его никто больше не видит, утвердить будет некому.)',
  'sandbox.youAre': 'Вы — {me}. Утвердить должны двое ДРУГИХ; сыграйте их из второго терминала:',
  'sandbox.currentUser': 'текущий пользователь',
  'sandbox.actAs':
    'Команда нажимает «Утвердить» на последней карточке запроса от имени этого человека, через Playground, как при щелчке.',
  'sandbox.whoApproves': 'Утверждать могут: {approvers}; {viaGroup} — только через группу Entra «{group}»;',
  'sandbox.whoNot': 'Не могут утверждать: {nobodies}. Подробнее: npm run act-as -- --help',
  'sandbox.russian': '{name} видит бота на русском: npm run act-as --{port} {key} approve',
  'sandbox.stop': 'Остановка: Ctrl-C (останавливает бота, симулятор и Playground).',
};
