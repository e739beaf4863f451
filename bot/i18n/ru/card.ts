/**
 * Карточки на русском. Термины как в русском интерфейсе Defender: «устройство»,
 * «ИД устройства», «отключение» (offboarding), «утверждающий», «запрос».
 * Заголовки кнопок короткие: они должны помещаться на узкой карточке (docs/i18n.md).
 */
import type { Translation } from '../message';
import type { card as en } from '../en/card';

export const card: Translation<typeof en> = {
  'card.dateTime': '{date}, {time}',
  'card.withRelative': '{when} ({relative})',
  'card.in': 'через {duration}',
  'card.ago': '{duration} назад',
  'card.inUnderMinute': 'меньше чем через минуту',
  'card.underMinuteAgo': 'меньше минуты назад',
  'card.minutes': '{minutes} мин',
  'card.hours': '{hours} ч',
  'card.hoursMinutes': '{hours} ч {minutes} мин',
  'card.days': '{days} дн.',
  'card.daysHours': '{days} дн. {hours} ч',

  'card.title': 'Отключение устройства {device}',
  'card.titleMany': {
    one: 'Отключение {count} устройства',
    few: 'Отключение {count} устройств',
    many: 'Отключение {count} устройств',
    other: 'Отключение {count} устройства',
  },
  'card.requestId': 'Запрос {id}',
  'card.summary.draft': {
    one: 'Добавьте комментарий и отправьте запрос на утверждение. В Defender ничего не отправляется, пока запрос не утвердит {count} человек, кроме автора.',
    few: 'Добавьте комментарий и отправьте запрос на утверждение. В Defender ничего не отправляется, пока запрос не утвердят {count} человека, кроме автора.',
    many: 'Добавьте комментарий и отправьте запрос на утверждение. В Defender ничего не отправляется, пока запрос не утвердят {count} человек, кроме автора.',
    other:
      'Добавьте комментарий и отправьте запрос на утверждение. В Defender ничего не отправляется, пока запрос не утвердят {count} человека, кроме автора.',
  },
  'card.summary.awaiting': 'В Defender ничего не отправляется, пока запрос не утверждён.',
  'card.summary.queued': 'Утверждено. Достигнут лимит запросов к API Defender, вызов ждёт в очереди.',
  'card.summary.executing': 'Утверждено. Команда на отключение отправляется в Defender.',
  'card.summary.tracking':
    'Defender принял команду на отключение и выполняет её. Карточка обновится, когда он закончит.',
  'card.summary.defenderCancelled':
    'Отменено в Defender до того, как устройство получило команду: устройство остаётся подключённым.',
  'card.summary.succeeded':
    'Устройство отключено и больше не передаёт данные в Defender. Чтобы вернуть его, устройство нужно подключить к Defender заново.',
  'card.summary.notSucceeded':
    'Defender сообщает, что отключить устройство не удалось. Возможно, оно всё ещё подключено: проверьте его на портале Defender и при обращении в поддержку укажите код для поддержки.',
  'card.summary.failed': 'Defender не принял команду на отключение: на устройстве ничего не изменилось.',
  'card.summary.outcomeUnknown':
    'Результат неизвестен: ответ Defender не удалось подтвердить, поэтому устройство может быть как отключено, так и нет. Прежде чем создавать запрос снова, проверьте портал Defender (устройство {devices}, центр действий).',
  'card.summary.rejected': 'Отклонено: в Defender ничего не отправлено.',
  'card.summary.cancelled': 'Отменено: в Defender ничего не отправлено.',
  'card.summary.expired':
    'Срок запроса истёк {when}, утверждений не хватило: в Defender ничего не отправлено. Если устройство всё ещё нужно отключить, создайте новый запрос.',

  'card.badge.draft': 'Черновик',
  'card.badge.awaiting': 'Ожидает утверждения ({count} из {required})',
  'card.badge.queued': 'В очереди Defender до {when}',
  'card.badge.executing': 'Выполняется',
  'card.badge.tracking': 'Идёт отключение',
  'card.badge.succeeded': 'Выполнено',
  'card.badge.failed': 'Не выполнено',
  'card.badge.defenderCancelled': 'Отменено в Defender',
  'card.badge.outcomeUnknown': 'Результат неизвестен',
  'card.badge.rejected': 'Отклонено',
  'card.badge.cancelled': 'Отменено',
  'card.badge.expired': 'Срок истёк',

  'card.device': 'Устройство',
  'card.deviceOf': 'Устройство {index} из {total}',
  'card.fact.name': 'Имя',
  'card.fact.deviceId': 'ИД устройства',
  'card.fact.os': 'ОС',
  'card.fact.health': 'Работоспособность',
  'card.fact.lastSeen': 'Последняя активность',
  'card.fact.riskScore': 'Уровень риска',
  'card.fact.exposureLevel': 'Уровень уязвимости',
  'card.fact.tags': 'Теги',
  'card.fact.deviceGroup': 'Группа устройств',
  'card.health.Active': 'Активно',
  'card.health.Inactive': 'Неактивно',
  'card.health.ImpairedCommunication': 'Нарушена связь',
  'card.health.NoSensorData': 'Нет данных датчика',
  'card.health.NoSensorDataImpairedCommunication': 'Нет данных датчика, нарушена связь',
  'card.health.Unknown': 'Неизвестно',
  'card.level.None': 'Нет',
  'card.level.Informational': 'Информационный',
  'card.level.Low': 'Низкий',
  'card.level.Medium': 'Средний',
  'card.level.High': 'Высокий',
  'card.osBuild': '(сборка {build})',

  'card.fact.action': 'Действие Defender',
  'card.fact.status': 'Статус в Defender',
  'card.fact.queuedUntil': 'В очереди до',
  'card.fact.checkedAt': 'Последняя проверка',
  'card.fact.error': 'Ошибка',
  'card.fact.supportRef': 'Код для поддержки',
  'card.status.Pending': 'Ожидает в Defender',
  'card.status.InProgress': 'Выполняется',
  'card.status.Succeeded': 'Выполнено',
  'card.status.Failed': 'Не выполнено',
  'card.status.TimeOut': 'Время ожидания в Defender истекло',
  'card.status.Cancelled': 'Отменено в Defender',
  'card.status.unknown': 'Результат неизвестен: проверьте портал Defender',
  'card.status.notAccepted': 'Defender не принял команду',
  'card.status.retryGraph': 'Повтор: Microsoft Graph не ответил',
  'card.status.retryDefender': 'Повтор: Defender не ответил',
  'card.status.queued': 'В очереди (лимит запросов к API Defender)',
  'card.status.sending': 'Отправляется в Defender',
  'card.status.notStarted': 'Не начато',
  'card.retryAt': '{error}. Повторная попытка {when}.',
  'card.retry': '{error}. Попытка будет повторена.',

  'card.warning':
    'Отключение останавливает датчик Defender: устройство перестаёт передавать данные, и вернуть его можно только повторным подключением. Отменить это отсюда нельзя.',
  'card.requestedBy': 'Автор запроса: {name}, {when}',
  'card.rule': 'Правило: {name}',
  'card.commentLabel': 'Почему нужно отключить это устройство?',
  'card.commentPlaceholder': 'Номер заявки и причина. Передаётся в Defender как комментарий к отключению.',
  'card.commentError': {
    one: 'Прежде чем запрашивать утверждение, напишите комментарий (не более {count} символа).',
    few: 'Прежде чем запрашивать утверждение, напишите комментарий (не более {count} символов).',
    many: 'Прежде чем запрашивать утверждение, напишите комментарий (не более {count} символов).',
    other: 'Прежде чем запрашивать утверждение, напишите комментарий (не более {count} символа).',
  },
  'card.commentLocked': 'Комментарий (зафиксирован, передаётся в Defender)',
  'card.approvals': 'Утверждения: {count} из {required}',
  'card.approvedBy': 'Утверждено: {name}, {when}',
  'card.notApprover': ' — уже не утверждающий',
  'card.remaining': {
    one: 'Нужно ещё {count} утверждение от кого-то, кроме автора запроса.',
    few: 'Нужно ещё {count} утверждения от кого-то, кроме автора запроса.',
    many: 'Нужно ещё {count} утверждений от кого-то, кроме автора запроса.',
    other: 'Нужно ещё {count} утверждения от кого-то, кроме автора запроса.',
  },
  'card.canApprove': 'Могут утвердить: {names}.',
  'card.andMore': '{names} и ещё {count}',
  'card.selfApproval': 'Автор не может утвердить собственный запрос.',
  'card.expires': 'Истекает {when}',
  'card.rejectedBy': 'Отклонено: {name}, {when}',
  'card.reason': 'Причина',
  'card.cancelledBy': 'Отменено: {name}, {when}',
  'card.defenderCancelledBy': 'Отменено в Defender: {name}, {when}, до того как устройство получило команду',

  'card.button.submit': 'На утверждение',
  'card.button.approve': 'Утвердить',
  'card.button.rejectOpen': 'Отклонить…',
  'card.button.reject': 'Отклонить',
  'card.button.cancel': 'Отменить',
  'card.button.refresh': 'Обновить',
  'card.button.choose': 'Выбрать',
  'card.rejectLabel': 'Почему запрос отклонён?',
  'card.rejectError': {
    one: 'Чтобы отклонить запрос, укажите причину (не более {count} символа).',
    few: 'Чтобы отклонить запрос, укажите причину (не более {count} символов).',
    many: 'Чтобы отклонить запрос, укажите причину (не более {count} символов).',
    other: 'Чтобы отклонить запрос, укажите причину (не более {count} символа).',
  },

  'card.choose.match': 'Подходят несколько устройств: {query}',
  'card.choose.hint':
    'Выберите устройство для отключения. Будет создан запрос; в Defender ничего не отправляется, пока он не утверждён.',
  'card.choose.more': {
    one: 'И ещё {count} устройство: чтобы выбрать его, укажите ИД устройства.',
    few: 'И ещё {count} устройства: чтобы выбрать одно из них, укажите ИД устройства.',
    many: 'И ещё {count} устройств: чтобы выбрать одно из них, укажите ИД устройства.',
    other: 'И ещё {count} устройства: чтобы выбрать одно из них, укажите ИД устройства.',
  },

  'card.help.tagline':
    'Отключает устройства от Microsoft Defender для конечной точки после утверждения вторым человеком.',
  'card.help.roleBoth': 'Вы можете запрашивать отключение устройств и утверждать запросы других.',
  'card.help.roleRequester': 'Вы можете запрашивать отключение устройств. Утверждают запросы другие люди.',
  'card.help.roleApprover': 'Вы можете утверждать и отклонять запросы других на их карточках.',
  'card.help.roleNone':
    'Вас нет в списках авторов запросов и утверждающих: если это нужно, обратитесь к руководителю службы безопасности.',
  'card.help.argDevice': 'устройство',
  'card.help.argComment': 'комментарий',
  'card.help.argRequestId': 'ИД запроса',
  'card.help.offboard': {
    one: 'Запрашивает отключение устройства по имени или по 40-символьному ИД устройства Defender. Всё, что после устройства, — комментарий, который сохранит Defender (не более {count} символа); его можно изменить на карточке.',
    few: 'Запрашивает отключение устройства по имени или по 40-символьному ИД устройства Defender. Всё, что после устройства, — комментарий, который сохранит Defender (не более {count} символов); его можно изменить на карточке.',
    many: 'Запрашивает отключение устройства по имени или по 40-символьному ИД устройства Defender. Всё, что после устройства, — комментарий, который сохранит Defender (не более {count} символов); его можно изменить на карточке.',
    other:
      'Запрашивает отключение устройства по имени или по 40-символьному ИД устройства Defender. Всё, что после устройства, — комментарий, который сохранит Defender (не более {count} символа); его можно изменить на карточке.',
  },
  'card.help.exampleComment': 'Ноутбук сдан, сотрудник уволился 31 мая',
  'card.help.status': 'Показывает состояние запроса из этой беседы.',
  'card.help.pending':
    'Перечисляет запросы, ждущие вашего утверждения, и ваши открытые запросы со ссылками на их карточки.',
  'card.help.cancelRequester':
    'Отменяет ваш запрос до выполнения. После утверждения, пока устройство ещё не получило команду на отключение, отменяет её в Defender.',
  'card.help.cancelApprover':
    'После утверждения, пока устройство ещё не получило команду на отключение, отменяет её в Defender (до утверждения запрос отменяет только автор).',
  'card.help.help': 'Показывает эту карточку.',
  'card.help.example': 'Пример: {name}',
  'card.help.rules': 'Действующие правила',
  'card.help.footer':
    'В Defender ничего не происходит, пока кто-то, кроме автора, не утвердит запрос на его карточке.',
};
