import type { Translation } from '../message';
import type { errors as en } from '../en/errors';

export const errors: Translation<typeof en> = {
  'errors.unexpected':
    'У меня что-то пошло не так (код обращения {ref}). Ни одно устройство не выведено из Defender; повторите попытку или сообщите администратору.',
  'errors.finished': 'Запрос {id} уже {state}.',
  'errors.inProgress': 'Запрос {id} утверждён и уже выполняется.',
  'errors.onlyRequesterSubmits': 'Отправить этот запрос может только {name}, создавший(ая) его.',
  'errors.commentLocked': 'Утверждение уже запрошено; комментарий изменить нельзя.',
  'errors.invalidComment': 'Введите комментарий (от 1 до {max} символов): {why}',
  'errors.notSubmitted': 'Автор запроса ещё не отправил его на утверждение.',
  'errors.selfApproval': 'Вы создали этот запрос, поэтому не можете его утвердить.',
  'errors.notApprover': 'Вы не входите в число утверждающих для вывода устройств из Defender.',
  'errors.requesterRevoked':
    '{name}, создавший(ая) этот запрос, больше не имеет права запрашивать вывод устройств: запрос нельзя утвердить.',
  'errors.alreadyApproved': 'Вы уже утвердили этот запрос; нужно утверждение другого человека.',
  'errors.rejectState': 'Отклонить можно только запрос, ожидающий утверждения.',
  'errors.requesterRejects': 'Вы создали этот запрос: используйте кнопку «Отменить».',
  'errors.invalidReason': 'Укажите причину (от 1 до {max} символов): {why}',
  'errors.onlyRequesterCancels': 'Отменить этот запрос может только {name}, создавший(ая) его.',
  'errors.wrongTenant': 'Этот бот не обслуживает вашу организацию.',
  'errors.notRequester':
    'У вас нет права запрашивать вывод устройств из Defender. Обратитесь к руководителю службы безопасности.',
  'errors.otherTenant': 'Этот запрос относится к другой организации.',
  'errors.whyEmpty': 'текст пустой.',
  'errors.whyLength': {
    one: 'в тексте {count} символ.',
    few: 'в тексте {count} символа.',
    many: 'в тексте {count} символов.',
    other: 'в тексте {count} символа.',
  },
  'errors.whyControl': 'текст содержит управляющие символы.',
  'errors.ruleForbids': 'Устройства под правилом «{rule}» нельзя вывести из Defender через чат.',
  'errors.ruleNotRequester':
    'У вас нет права запрашивать вывод устройств под правилом «{rule}». Обратитесь к руководителю службы безопасности.',
  'errors.ruleUnreachable':
    'Этот запрос никогда не удастся утвердить: правилу «{rule}» нужно {approvals} от других людей, ' +
    'а других утверждающих, кроме вас: {others}. Обратитесь к руководителю службы безопасности.',
  'errors.approvalsCount': {
    one: '{count} утверждение',
    few: '{count} утверждения',
    many: '{count} утверждений',
    other: '{count} утверждения',
  },
  'errors.otherApprovers': {
    one: '{count} человек',
    few: '{count} человека',
    many: '{count} человек',
    other: '{count} человека',
  },
  'errors.ruleUnchecked': 'Сейчас не удаётся проверить правило «{rule}»; повторите попытку.',
  'errors.expired': 'Срок запроса {id} истёк.',
  'errors.cancelSending': 'Запрос {id} прямо сейчас отправляется в Defender; повторите попытку чуть позже.',
  'errors.cancelNothing': 'Запрос {id} уже {state}: отменять нечего.',
  'errors.cancelNotAllowed':
    'Отменить действие Defender может только {name}, создавший(ая) запрос {id}, или утверждающий.',
  'errors.bulkStopNotAllowed':
    'Остановить его может только {name}, создавший(ая) запрос {id}, или утверждающий.',
  'errors.cancelNoAction': 'У запроса {id} нет действия Defender, которое можно отменить.',
  'errors.cancelPickedUp':
    'Действие Defender запроса {id} в состоянии {status}: устройство уже получило его, отменить нельзя.',
  'errors.busy': 'Этот запрос сейчас очень часто меняется; повторите попытку.',
  'errors.storeUnavailable':
    'Бот сейчас не может читать или записывать хранилище запросов. Повторите попытку через несколько минут; если ошибка повторяется, сообщите администратору бота.',
  'errors.deviceBusy': 'Для этого устройства уже есть открытый запрос на вывод из Defender.',
  'errors.deviceBusyId': 'Для этого устройства уже есть открытый запрос на вывод из Defender ({id}).',
  'errors.graphUnavailable':
    'Сейчас не удаётся проверить ваше членство в группах; повторите попытку через минуту.',
  'errors.approverCheckUnavailable':
    'Microsoft Graph не смог подтвердить членство утверждающих в группах, поэтому в Defender пока ничего не отправлено',
  'errors.graphInvalidResponse':
    'Не удаётся проверить ваше членство в группах: ответ Microsoft Graph не удалось прочитать. Повторите попытку позже.',
  'errors.graphForbidden':
    'Не удаётся проверить членство в группах: Microsoft Graph отказал регистрации приложения бота. ' +
    'Ей нужны разрешения приложения User.Read.All и GroupMember.Read.All с согласием администратора.',
  'errors.graphBadConfiguration':
    'Не удаётся проверить членство в группах: один из настроенных идентификаторов групп не является группой в этом клиенте. ' +
    'Проверьте OFFBOARD_REQUESTER_GROUPS, OFFBOARD_APPROVER_GROUPS и файл политики.',
  'errors.defender.what.reach': 'связаться с Defender',
  'errors.defender.what.listMachines': 'найти устройства',
  'errors.defender.what.getMachine': 'прочитать данные устройства',
  'errors.defender.what.offboard': 'вывести устройство из Defender',
  'errors.defender.what.listActions': 'прочитать действия устройства',
  'errors.defender.what.getAction': 'прочитать действие с устройством',
  'errors.defender.what.cancelAction': 'отменить действие с устройством',
  'errors.defender.ref': ' (код для поддержки: {ref})',
  'errors.defender.tokenManagedIdentity':
    'Бот не смог получить токен доступа к Defender от управляемого удостоверения своего узла. Проверьте, ' +
    'что удостоверение назначено приложению, а для пользовательского удостоверения — что ' +
    'MDE_MANAGED_IDENTITY_CLIENT_ID содержит его идентификатор клиента.{detail}',
  'errors.defender.identitySaid': ' Ответ конечной точки удостоверений: {detail}.',
  'errors.defender.tokenEntra':
    'Бот не смог получить токен доступа к Defender от Microsoft Entra ID. Проверьте регистрацию ' +
    'приложения: идентификатор клиента (tenant id), идентификатор приложения (client id), а также что ' +
    'секрет клиента или сертификат действителен и не просрочен.{detail}',
  'errors.defender.entraSaid': ' Ответ Entra ID: {detail}.',
  'errors.defender.osNotSupported':
    'Defender не может вывести это устройство через API: его операционная система не поддерживается ' +
    '(только Windows 10 1703+, Windows 11 и Windows Server 2019+; устройства macOS и Linux выводятся ' +
    'на самом устройстве).{ref}',
  'errors.defender.clientVersion':
    'Defender не может вывести это устройство через API: версия Windows слишком старая ' +
    '(для Windows 10 нужна версия 1703 или новее; для Server 2012 R2/2016 — унифицированный агент).{ref}',
  'errors.defender.alreadyInProgress':
    'Defender сообщает, что для этого устройства уже выполняется действие; дождитесь его завершения или отмените его.{ref}',
  'errors.defender.unauthorized':
    'Defender отклонил токен доступа бота (401) при попытке {what}. Проверьте, что регистрация ' +
    'приложения находится в нужном клиенте, а область токена — API Defender для конечной точки ' +
    '(https://api.securitycenter.microsoft.com/.default).{ref}',
  'errors.defender.forbidden':
    'Defender не дал {what} ({status}): регистрации приложения нужно разрешение приложения ' +
    '{permission} с согласием администратора, а устройство должно входить в группу устройств, ' +
    'доступную приложению.{ref}',
  'errors.defender.notFound':
    'Defender ничего не нашёл при попытке {what}: такого устройства или действия нет (404).{ref}',
  'errors.defender.throttled':
    'Defender ограничивает частоту запросов бота (429) при попытке {what}{wait}. Повторите попытку чуть позже.{ref}',
  'errors.defender.wait': '; он просит подождать {seconds} с',
  'errors.defender.serverError':
    'При попытке {what} в Defender произошла внутренняя ошибка ({status}). Повторите попытку позже.{ref}',
  'errors.defender.timeout': 'Defender не ответил вовремя при попытке {what}{detail}.{ref}',
  'errors.defender.network':
    'Бот не смог связаться с Defender при попытке {what} (ошибка сети). Повторите попытку позже.{ref}',
  'errors.defender.invalidResponse':
    'При попытке {what} Defender прислал ответ, который бот не смог прочитать.{ref}',
  'errors.defender.outcomeUnknown':
    'Попытка {what} не удалась, и бот не смог подтвердить, получил ли Defender запрос. ' +
    'Прежде чем пробовать снова, проверьте журнал действий устройства на портале Defender.{ref}',
  'errors.defender.badRequest': 'Defender отклонил попытку {what} ({status}).{ref}',
  'errors.platform.oldBuild': 'Windows 10 сборки {build} старше версии 1703 (сборка 15063).',
  'errors.platform.oldVersion': 'Windows 10 версии {version} старше версии 1703.',
  'errors.platform.noUnifiedAgent':
    '{os} можно вывести через API, только если на нём работает единый агент (unified agent), а это устройство о нём не сообщает.',
  'errors.platform.unsupported':
    'API отключения Defender поддерживает Windows 10 (1703+), Windows 11 и Windows Server 2019+; на этом устройстве — {os}. Выведите его с помощью пакета отключения для этой платформы.',
  'errors.platform.unknownOs': 'неизвестная платформа',
  'errors.state.completed': 'завершён',
  'errors.state.failed': 'завершён с ошибкой',
  'errors.state.outcomeUnknown': 'завершён с неизвестным результатом',
  'errors.state.rejected': 'отклонён',
  'errors.state.cancelled': 'отменён',
  'errors.state.expired': 'просрочен',
  'errors.parse.tooLong':
    'Сообщение слишком длинное: в команде не больше {max} символов. Сократите комментарий.\n\nФормат: {usage}',
  'errors.parse.controlChars':
    'В сообщении есть скрытый управляющий символ ({char}). Наберите команду заново, а не вставляйте её. Отправьте `help`, чтобы увидеть список команд.',
  'errors.parse.missingMachine': 'Какое устройство вывести из Defender?\n\nФормат: {usage}',
  'errors.parse.commentTooLong': {
    one: 'Длина комментария — {count} символ, а допускается не больше {max}. Сократите его или опишите подробности в заявке и сошлитесь на неё.\n\nФормат: {usage}',
    few: 'Длина комментария — {count} символа, а допускается не больше {max}. Сократите его или опишите подробности в заявке и сошлитесь на неё.\n\nФормат: {usage}',
    many: 'Длина комментария — {count} символов, а допускается не больше {max}. Сократите его или опишите подробности в заявке и сошлитесь на неё.\n\nФормат: {usage}',
    other:
      'Длина комментария — {count} символа, а допускается не больше {max}. Сократите его или опишите подробности в заявке и сошлитесь на неё.\n\nФормат: {usage}',
  },
  'errors.parse.missingRequestId': 'Какой запрос?\n\nФормат: {usage}',
  'errors.parse.badRequestId':
    '{token} — не идентификатор запроса: он выглядит как `OFB-7K2MXQ40` (OFB- и 8 букв или цифр).\n\nФормат: {usage}',
  'errors.parse.machineTooLong':
    'Имя устройства слишком длинное: в имени не больше {max} символов.\n\nФормат: {usage}',
  'errors.parse.invisibleChars':
    'В имени устройства {token} есть невидимый символ ({char}) — обычно он попадает туда при копировании. Наберите имя заново.\n\nФормат: {usage}',
  'errors.parse.entraId':
    '{token} похоже на ИД устройства в Entra (Azure AD). Укажите имя устройства или его 40-символьный ИД в Defender.\n\nФормат: {usage}',
  'errors.parse.nearDeviceId':
    '{token} похоже на ИД устройства в Defender, но такой ИД состоит ровно из 40 шестнадцатеричных символов, а здесь их {count}.\n\nФормат: {usage}',
  'errors.parse.badMachine':
    '{token} не может быть устройством ({problem}). Имена устройств состоят из букв, цифр, дефисов, подчёркиваний и точек; ИД устройства — 40 шестнадцатеричных символов.\n\nФормат: {usage}',
  'errors.parse.emptyItem':
    'В списке пустой элемент (две запятые подряд или запятая в конце).\n\nФормат: {usage}',
  'errors.parse.duplicateDevice':
    '{item} указано дважды (ещё и как {other}). Укажите каждое устройство один раз.',
  'errors.parse.tooManyDevices': {
    one: 'Вы указали {count} устройство, а в одном запросе не больше {max}. Разделите список.',
    few: 'Вы указали {count} устройства, а в одном запросе не больше {max}. Разделите список.',
    many: 'Вы указали {count} устройств, а в одном запросе не больше {max}. Разделите список.',
    other: 'Вы указали {count} устройства, а в одном запросе не больше {max}. Разделите список.',
  },
  'errors.parse.inactiveAlone':
    '`inactive:` без других условий выбрал бы все неактивные устройства организации. Добавьте `tag:` или `group:` либо список устройств.\n\nФормат: {usage}',
  'errors.parse.bulkCommentTooLong': {
    one: 'Длина комментария — {count} символ, а допускается не больше {max}.',
    few: 'Длина комментария — {count} символа, а допускается не больше {max}.',
    many: 'Длина комментария — {count} символов, а допускается не больше {max}.',
    other: 'Длина комментария — {count} символа, а допускается не больше {max}.',
  },
  'errors.parse.selectorOnce': 'Укажите `{kind}:` только один раз.\n\nФормат: {usage}',
  'errors.parse.quoteNotClosed': 'Кавычка после `{kind}:` не закрыта.\n\nФормат: {usage}',
  'errors.parse.spaceAfterQuote': 'Поставьте пробел после закрывающей кавычки `{kind}:`.\n\nФормат: {usage}',
  'errors.parse.selectorEmpty': 'После `{kind}:` нужно значение, например `{example}`.\n\nФормат: {usage}',
  'errors.parse.notDays': '{value} — не число дней: напишите `inactive:30d`.\n\nФормат: {usage}',
  'errors.parse.daysRange':
    '`inactive:` принимает от {min} до {max} дней (Defender хранит устройства не больше {max} дней); {days} — вне диапазона.\n\nФормат: {usage}',
  'errors.parse.selectorTooLong': 'Значение `{kind}:` — не больше {max} символов.\n\nФормат: {usage}',
};
