import type { Translation } from '../message';
import type { chat as en } from '../en/chat';

export const chat: Translation<typeof en> = {
  'chat.noIdentity':
    'Не удалось определить, кто вы (в сообщении нет удостоверения Entra), поэтому я не могу это выполнить.',
  'chat.unknownCommand': 'Я не знаю команды «{word}».',
  'chat.didYouMean': 'Возможно, вы имели в виду `{suggestion}`?',
  'chat.helpIntro':
    'Offboarder выводит устройства из Defender после утверждения вторым человеком. Что вы можете сделать:',
  'chat.statusUnknown': 'Запрос {id}, доступный вам здесь, не найден.',
  'chat.personalChat':
    'Утверждающие не видят этот личный чат. Чтобы собрать утверждения, отмените запрос {id} и ' +
    'выполните команду в канале или групповом чате, где есть утверждающие.',
  'chat.queued': 'Достигнут лимит API Defender: я найду {device} примерно в {time} UTC.',
  'chat.unrecognisedAction': 'Это действие не распознано.',
  'chat.unknownCard': 'Эта карточка не относится ни к одному известному запросу.',
  'chat.invalidDeviceCard': 'В этой карточке не указано допустимое устройство.',
  'chat.requestOpened': 'Запрос {id} создан: новая карточка — в этой ветке.',
  'chat.stillAmbiguous': 'Под это имя по-прежнему подходят несколько устройств; укажите ИД устройства.',
  'chat.unknownOs': 'ОС неизвестна',
  'chat.device': '**{name}** ({os}, ИД `{id}`)',
  'chat.notFound':
    'Устройство с именем **{query}** в Defender не найдено. Проверьте имя или укажите ИД устройства из портала Defender.',
  'chat.notFoundSimilar': 'Устройство с именем **{query}** в Defender не найдено. Похожие имена:\n\n{list}',
  'chat.unsupported': 'Не могу вывести из Defender {device}: {reason}',
  'chat.alreadyPending':
    'Для {device} в Defender уже есть действие отключения: `{actionId}`, состояние **{status}**. Новый запрос не создан.',
  'chat.alreadyRequested':
    'Для {device} уже есть открытый запрос: **{id}** ({state}). Подробности: `status {id}`.',
  'chat.statusHead': '**{id}**: вывод из Defender {devices}, запросил(а) {requester}.',
  'chat.statusState': 'Состояние: {state}.',
  'chat.statusApprovedBy': 'Утвердили: {names}.',
  'chat.statusAction': 'Действие Defender `{actionId}`: {status}.',
  'chat.statusError': 'Ошибка: {message}',
  'chat.ageMinutes': '{count} мин',
  'chat.ageHours': '{count} ч',
  'chat.ageDays': '{count} дн.',
  'chat.pendingNone': 'Вас ничего не ждёт: нет запросов на ваше утверждение и нет ваших открытых запросов.',
  'chat.pendingRequestedBy': ', запросил(а) {requester} {age} назад',
  'chat.pendingOpenCard': 'открыть карточку',
  'chat.pendingAwaiting': '**Ждут вашего утверждения** ({count})',
  'chat.pendingMine': '**Ваши открытые запросы** ({count})',
  'chat.pendingMore': '…и ещё {count}.',
  'chat.cancelUnknown': 'Запрос {id}, который вы можете здесь отменить, не найден.',
  'chat.cancelled': 'Запрос {id} отменён: в Defender ничего не отправлено.',
  'chat.defenderCancelled':
    'Действие Defender `{actionId}` запроса {id} отменено: устройство остаётся подключённым.',
};
