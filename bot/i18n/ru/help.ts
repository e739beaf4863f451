import type { Translation } from '../message';
import type { help as en } from '../en/help';

export const help: Translation<typeof en> = {
  'help.argDevice': 'устройство',
  'help.argComment': 'комментарий',
  'help.argRequestId': 'ИД запроса',
  'help.offboardUsage': '`offboard {{device}} [{comment}]`, например `offboard WS-042 Ноутбук сдан в ИТ`',
  'help.statusUsage': '`status {{requestId}}`, например `status OFB-7K2MXQ40`',
  'help.argTag': 'тег',
  'help.argDeviceGroup': 'группа устройств',
  'help.bulkUsage':
    '`offboard {{device}}, {{device}}, … [{comment}]` или `offboard tag:{{tag}} group:"{{deviceGroup}}" ' +
    'inactive:{N}d [{comment}]`, например `offboard ws-1, ws-2, ws-3 Лаборатория списана`',
  'help.cancelUsage': '`cancel {{requestId}}`, например `cancel OFB-7K2MXQ40`',
  'help.intro':
    '**Offboarder** выводит устройства из Microsoft Defender для конечной точки после утверждения вторым человеком.',
  'help.offboard':
    '- `offboard {{device}} [{comment}]`: запросить вывод устройства из Defender. `{{device}}` — его имя (`WS-042` или ' +
    '`ws-042.contoso.local`) или 40-символьный ИД устройства в Defender. Всё, что идёт после устройства, — ' +
    'комментарий, который Defender сохранит (до {max} символов); его можно изменить на карточке.',
  'help.offboardExample': '  Пример: `offboard WS-042 Ноутбук сдан, сотрудник уволился 31 мая`',
  'help.status': '- `status {{requestId}}`: показать, на каком этапе запрос. Пример: `status OFB-7K2MXQ40`',
  'help.bulkList':
    '- `offboard {{device}}, {{device}}, … [{comment}]`: запросить вывод нескольких устройств из Defender с одним ' +
    'утверждением (через запятую или по одному на строке); комментарий идёт после последнего устройства. ' +
    'Пример: `offboard ws-1, ws-2 лаборатория списана`',
  'help.bulkSelectors':
    '- `offboard tag:{{tag}} group:"{{deviceGroup}}" inactive:{N}d [{comment}]`: все устройства с тегом Defender ' +
    'или из группы устройств; с `inactive:` — только те, что не выходили в сеть больше {N} дней. Если устройств ' +
    'много, сначала нужно подтвердить их число. Пример: `offboard tag:lab-retired inactive:30d списаны`',
  'help.statusFailed':
    '- `status {{requestId}} failed`: перечислить устройства запроса, которые не удалось вывести или результат ' +
    'по которым неизвестен. Пример: `status OFB-7K2MXQ40 failed`',
  'help.pending':
    '- `pending`: что ждёт вашего утверждения, и ваши открытые запросы, со ссылками на их карточки.',
  'help.cancel':
    '- `cancel {{requestId}}`: отменить ваш запрос до выполнения; после утверждения — отменить действие Defender, ' +
    'пока устройство его ещё не получило (автор запроса или утверждающий). Пример: `cancel OFB-7K2MXQ40`',
  'help.help': '- `help`: показать это сообщение.',
  'help.card.bulkList':
    'Запрашивает отключение нескольких устройств с одним утверждением: перечислите их через запятую или по одному на строке. Комментарий идёт после последнего устройства.',
  'help.card.bulkSelectors':
    'Все устройства с тегом Defender или из группы устройств; с inactive: — только те, что не выходили в сеть больше N дней. Если устройств много, сначала нужно подтвердить их число.',
  'help.card.statusFailed':
    'Для запроса на много устройств: перечисляет те, что не удалось отключить, или результат по которым неизвестен, с причиной.',
  'help.card.exampleList': 'лаборатория списана',
  'help.card.exampleSelectors': 'списаны',
  'help.outro':
    'В Defender ничего не произойдёт, пока запрос на его карточке не утвердит кто-то, кроме автора запроса.',
};
