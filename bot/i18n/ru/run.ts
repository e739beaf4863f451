import type { Translation } from '../message';
import type { run as en } from '../en/run';

export const run: Translation<typeof en> = {
  'run.finished': {
    one: 'Запрос {id} выполнен ({count} устройство).',
    few: 'Запрос {id} выполнен ({count} устройства).',
    many: 'Запрос {id} выполнен ({count} устройств).',
    other: 'Запрос {id} выполнен ({count} устройства).',
  },
  'run.succeeded': '✅ Выведено из Defender: {count}',
  'run.failed': '❌ Не выведено: {count}',
  'run.unknown':
    '❓ Результат неизвестен: {count}. Проверьте эти устройства на портале Defender, прежде чем запрашивать снова.',
  'run.pending': '⏳ Ещё выполняется в Defender: {count}',
  'run.cancelled': '🚫 Отменено до отправки: {count}',
  'run.unsent': '… Ещё не отправлено: {count}',
  'run.failuresHeader': 'Устройства, которые не удалось вывести, или с неизвестным результатом:',
  'run.failureLine': '- {device}: {reason}',
  'run.unknownReason': 'результат неизвестен, ответ Defender не удалось подтвердить',
  'run.actionEnded': 'действие Defender {actionId} завершилось со статусом {status}',
  'run.more': {
    one: '…и ещё {count} (полный список: `status {id} failed`).',
    few: '…и ещё {count} (полный список: `status {id} failed`).',
    many: '…и ещё {count} (полный список: `status {id} failed`).',
    other: '…и ещё {count} (полный список: `status {id} failed`).',
  },
  'run.failedHeader': {
    one: 'Запрос {id}: {count} устройство не выведено или с неизвестным результатом.',
    few: 'Запрос {id}: {count} устройства не выведены или с неизвестным результатом.',
    many: 'Запрос {id}: {count} устройств не выведено или с неизвестным результатом.',
    other: 'Запрос {id}: {count} устройства не выведены или с неизвестным результатом.',
  },
  'run.failedNone': 'Запрос {id}: пока ни одного устройства с ошибкой.',
  'run.stoppedUnsent': {
    one: '{count} устройство из запроса {id} ещё не было отправлено: оно отменено и отправлено не будет.',
    few: '{count} устройства из запроса {id} ещё не были отправлены: они отменены и отправлены не будут.',
    many: '{count} устройств из запроса {id} ещё не были отправлены: они отменены и отправлены не будут.',
    other: '{count} устройства из запроса {id} ещё не были отправлены: они отменены и отправлены не будут.',
  },
  'run.stoppedNone': 'Все устройства запроса {id} уже переданы в Defender: останавливать нечего.',
  'run.stoppedSent': {
    one: '{count} устройство уже передано в Defender, его вывод продолжается (см. карточку).',
    few: '{count} устройства уже переданы в Defender, их вывод продолжается (см. карточку).',
    many: '{count} устройств уже передано в Defender, их вывод продолжается (см. карточку).',
    other: '{count} устройства уже переданы в Defender, их вывод продолжается (см. карточку).',
  },
  'run.progress':
    '{succeeded} выведено · {pending} выполняется · {failed} с ошибкой · {unknown} неизвестно · {unsent} ещё не отправлено',
};
