import type { Translation } from '../message';
import type { bulk as en } from '../en/bulk';

export const bulk: Translation<typeof en> = {
  'bulk.totals': {
    one: '{count} устройство к выводу из Defender',
    few: '{count} устройства к выводу из Defender',
    many: '{count} устройств к выводу из Defender',
    other: '{count} устройства к выводу из Defender',
  },
  'bulk.selectedBy': 'Отобраны по условию {selectors}',
  'bulk.listed': {
    one: 'Из списка в {count} устройство',
    few: 'Из списка в {count} устройства',
    many: 'Из списка в {count} устройств',
    other: 'Из списка в {count} устройства',
  },
  'bulk.selectedFromList': 'Из списка ({listed} шт.), отфильтрованного по условию {selectors}',
  'bulk.refusedTotal': {
    one: '{count} устройство не включено:',
    few: '{count} устройства не включены:',
    many: '{count} устройств не включено:',
    other: '{count} устройства не включено:',
  },
  'bulk.byOs': 'Операционные системы',
  'bulk.byGroup': 'Группы устройств',
  'bulk.devices': 'Устройства',
  'bulk.refused': 'Не включены',
  'bulk.more': {
    one: '… и ещё {count} устройство',
    few: '… и ещё {count} устройства',
    many: '… и ещё {count} устройств',
    other: '… и ещё {count} устройства',
  },
  'bulk.refusedMore': {
    one: '… и ещё {count} не включено',
    few: '… и ещё {count} не включены',
    many: '… и ещё {count} не включено',
    other: '… и ещё {count} не включено',
  },
  'bulk.row': '**{name}** · {os} · {group} · в сети {lastSeen}',
  'bulk.refusedRow': '{name}: {reason}',
  'bulk.other': 'Другие',
  'bulk.none': 'Нет',
  'bulk.reason.unsupported_os': 'ОС не поддерживается API отключения',
  'bulk.reason.pending_already': 'отключение уже ожидает выполнения в Defender',
  'bulk.reason.not_found': 'не найдено в Defender',
  'bulk.reason.ambiguous': 'это имя носят несколько устройств',
  'bulk.reason.open_request': 'уже есть в открытом запросе',
  'bulk.reason.not_selected': 'не подходит под условия отбора',
  'bulk.reason.not_allowed': 'его правило не разрешает отключение из чата',
  'bulk.progress.succeeded': 'Выведено из Defender',
  'bulk.progress.pending': 'Выполняется в Defender',
  'bulk.progress.failed': 'Не выведено',
  'bulk.progress.unknown': 'Результат неизвестен',
  'bulk.progress.cancelled': 'Отменено до отправки',
  'bulk.progress.unsent': 'Ждёт отправки',
  'bulk.summary.executing':
    'Запрос утверждён. Устройства отправляются в Defender с допустимой для его API скоростью; ход выполнения виден на этой карточке.',
  'bulk.summary.tracking': 'Defender выполняет отключение. Карточка обновляется по мере завершения.',
  'bulk.summary.done':
    'Готово. Устройства, которые не удалось вывести или результат по которым неизвестен, перечислены в ветке: проверьте их на портале Defender.',

  'bulk.confirm.title': {
    one: 'Вывести из Defender {count} устройство?',
    few: 'Вывести из Defender {count} устройства?',
    many: 'Вывести из Defender {count} устройств?',
    other: 'Вывести из Defender {count} устройства?',
  },
  'bulk.confirm.text': {
    one: 'Условию {selectors} соответствует {count} устройство. Подтвердите, чтобы открыть один запрос на устройства, которые будут отобраны в момент нажатия; до утверждения они будут видны на карточке запроса.',
    few: 'Условию {selectors} соответствуют {count} устройства. Подтвердите, чтобы открыть один запрос на устройства, которые будут отобраны в момент нажатия; до утверждения они будут видны на карточке запроса.',
    many: 'Условию {selectors} соответствуют {count} устройств. Подтвердите, чтобы открыть один запрос на устройства, которые будут отобраны в момент нажатия; до утверждения они будут видны на карточке запроса.',
    other:
      'Условию {selectors} соответствуют {count} устройства. Подтвердите, чтобы открыть один запрос на устройства, которые будут отобраны в момент нажатия; до утверждения они будут видны на карточке запроса.',
  },
  'bulk.confirm.button': 'Открыть запрос',
  'bulk.confirm.onlyRequester': 'Подтвердить может только тот, кто ввёл команду.',
  'bulk.confirm.invalid': 'Эта кнопка больше не содержит допустимой команды. Введите команду ещё раз.',
  'bulk.confirm.opened': {
    one: 'Открыт запрос {id} на {count} устройство: см. его карточку.',
    few: 'Открыт запрос {id} на {count} устройства: см. его карточку.',
    many: 'Открыт запрос {id} на {count} устройств: см. его карточку.',
    other: 'Открыт запрос {id} на {count} устройства: см. его карточку.',
  },

  'bulk.tooMany':
    'Под условие попадает {count} устр.; в одном запросе — не больше {limit}. Сузьте отбор (добавьте `inactive:` или `group:`) или разбейте на несколько запросов.',
  'bulk.nothing': {
    one: 'Найденное устройство ({count}) нельзя вывести из Defender: {reasons}.',
    few: 'Ни одно из {count} найденных устройств нельзя вывести из Defender: {reasons}.',
    many: 'Ни одно из {count} найденных устройств нельзя вывести из Defender: {reasons}.',
    other: 'Ни одно из {count} найденных устройств нельзя вывести из Defender: {reasons}.',
  },
  'bulk.nothingMatched':
    'Ни одно устройство не подходит. Проверьте имена, тег или группу устройств на портале Defender.',
  'bulk.reasonCount': '{reason} ({count})',
  'bulk.mixedRules':
    'Эти устройства подпадают под разные правила ({rules}). Откройте отдельный запрос для каждого правила.',
  'bulk.ruleCount': '{rule}: {count}',
  'bulk.busy':
    'Устройство {device} только что попало в другой запрос ({id}), поэтому запрос не открыт. Введите команду ещё раз, чтобы исключить его.',
  'bulk.queued':
    'Достигнут лимит запросов к API Defender: поиск устройств начнётся примерно в {time} UTC, ответ придёт сюда.',
  'bulk.personal':
    'Утверждающие не видят этот личный чат. Чтобы собрать утверждения, отмените запрос {id} и выполните команду в канале или групповом чате, где есть утверждающие.',
};
