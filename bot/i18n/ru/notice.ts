import type { Translation } from '../message';
import type { notice as en } from '../en/notice';

export const notice: Translation<typeof en> = {
  'notice.expired':
    'Срок запроса {id} истёк, утверждений не хватило: в Defender ничего не отправлено. ' +
    'Создайте новый запрос, если {devices} всё ещё нужно вывести из Defender.',
  'notice.finished': 'Запрос {id} завершён.',
  'notice.succeeded': '✅ {device} выведено из Defender (действие Defender {actionId}: Succeeded).',
  'notice.ended':
    '⚠️ {device}: действие Defender {actionId} завершилось с состоянием {status}. Устройство, возможно, всё ещё подключено; проверьте его на портале Defender.',
  'notice.unknownOutcome':
    '❓ {device}: результат неизвестен. Ответ Defender не удалось подтвердить, поэтому устройство могло быть выведено, а могло и нет: прежде чем запрашивать снова, проверьте центр действий на портале Defender{ref}.',
  'notice.failed': '❌ {device} не выведено из Defender: {error}{ref}',
  'notice.unknownError': 'неизвестная ошибка',
  'notice.error.approvalsNoLonger':
    'Утверждения больше не соответствуют правилу двух человек ({reason}), поэтому в Defender ничего не отправлено.',
  'notice.error.requesterRevoked': '{name} больше не имеет права запрашивать вывод устройств',
  'notice.error.approvalsCounted': 'от нынешних утверждающих {counted} из {needed} нужных утверждений',
  'notice.error.ruleForbids': 'устройства под правилом «{rule}» нельзя вывести из Defender через чат',
  'notice.error.cancelledBeforeSend': '{name} отменил(а) это до отправки в Defender.',
  'notice.error.notListed': 'Defender не показал это действие; спросим ещё раз.',
  'notice.error.unconfirmed': {
    one: 'Ответ Defender не удалось подтвердить после {count} попытки ({detail}).',
    few: 'Ответ Defender не удалось подтвердить после {count} попыток ({detail}).',
    many: 'Ответ Defender не удалось подтвердить после {count} попыток ({detail}).',
    other: 'Ответ Defender не удалось подтвердить после {count} попытки ({detail}).',
  },
  'notice.error.unreachable': {
    one: 'Defender недоступен после {count} попытки ({detail}). Прежде чем запрашивать снова, проверьте устройство на портале Defender.',
    few: 'Defender недоступен после {count} попыток ({detail}). Прежде чем запрашивать снова, проверьте устройство на портале Defender.',
    many: 'Defender недоступен после {count} попыток ({detail}). Прежде чем запрашивать снова, проверьте устройство на портале Defender.',
    other:
      'Defender недоступен после {count} попытки ({detail}). Прежде чем запрашивать снова, проверьте устройство на портале Defender.',
  },
  'notice.supportRef': ' (код для поддержки: {ref})',
  'notice.defenderCancelled':
    '{name} отменил(а) вывод из Defender (действие {actionId}), пока устройство его ещё не получило.',
  'notice.reminder':
    'Напоминание: запросу {id} на вывод из Defender {devices} ещё нужно {need}; срок истекает примерно через {hours} ч. {who}',
  'notice.moreApprovals': {
    one: '{count} утверждение',
    few: '{count} утверждения',
    many: '{count} утверждений',
    other: '{count} утверждения',
  },
  'notice.youMayApprove': 'Утвердить или отклонить его можно на карточке выше.',
  'notice.ruleMayApprove':
    'Утверждающие по правилу «{rule}» могут утвердить или отклонить его на карточке выше.',
  'notice.ruleMayApproveUnmentioned':
    'Утверждающие по правилу «{rule}» могут утвердить или отклонить его на карточке выше (никого из них не удалось упомянуть: бот не знает их Teams ID в этой беседе).',
};
