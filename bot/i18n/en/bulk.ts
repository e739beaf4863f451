/**
 * Bulk offboarding (issue #14): the bulk request card, the confirm prompt and the chat
 * answers to `offboard` with a list or selectors.
 */
export const bulk = {
  // Bulk card (cards/bulk-card.ts)
  'bulk.totals': { one: '{count} device to offboard', other: '{count} devices to offboard' },
  'bulk.selectedBy': 'Selected by {selectors}',
  'bulk.listed': { one: 'From a list of {count} device', other: 'From a list of {count} devices' },
  'bulk.selectedFromList': 'From a list of {listed} devices, narrowed by {selectors}',
  'bulk.refusedTotal': { one: '{count} device left out:', other: '{count} devices left out:' },
  'bulk.byOs': 'Operating systems',
  'bulk.byGroup': 'Device groups',
  'bulk.devices': 'Devices',
  'bulk.refused': 'Left out',
  'bulk.more': { one: '… and {count} more device', other: '… and {count} more devices' },
  'bulk.refusedMore': { one: '… and {count} more left out', other: '… and {count} more left out' },
  'bulk.row': '**{name}** · {os} · {group} · seen {lastSeen}',
  'bulk.refusedRow': '{name}: {reason}',
  'bulk.other': 'Other',
  'bulk.none': 'None',
  'bulk.reason.unsupported_os': 'OS not supported by the offboard API',
  'bulk.reason.pending_already': 'offboarding already pending at Defender',
  'bulk.reason.not_found': 'not found in Defender',
  'bulk.reason.ambiguous': 'several devices have this name',
  'bulk.reason.open_request': 'already in an open request',
  'bulk.reason.not_selected': 'does not match the selectors',
  'bulk.reason.not_allowed': 'its rule does not allow offboarding from chat',
  'bulk.progress.succeeded': 'Offboarded',
  'bulk.progress.pending': 'In progress at Defender',
  'bulk.progress.failed': 'Not offboarded',
  'bulk.progress.unknown': 'Outcome unknown',
  'bulk.progress.cancelled': 'Cancelled before sending',
  'bulk.progress.unsent': 'Waiting to be sent',
  'bulk.eta': {
    one: 'The last device waiting is due to be sent {when}.',
    other: 'The last of the {count} devices waiting is due to be sent {when}.',
  },
  'bulk.cancelStopped': {
    one: '{count} device not yet sent was stopped: it stays onboarded.',
    other: '{count} devices not yet sent were stopped: they stay onboarded.',
  },
  'bulk.cancelSent': {
    one: '{count} device had already been sent to Defender: this card follows it to the end.',
    other: '{count} devices had already been sent to Defender: this card follows them to the end.',
  },
  'bulk.badge.someFailed': { one: 'Done, {count} not offboarded', other: 'Done, {count} not offboarded' },
  'bulk.warning':
    'Offboarding stops the Defender sensor: the devices stop reporting and must be onboarded again to return. This cannot be undone from here.',
  'bulk.commentLabel': 'Why should these devices be offboarded?',
  'bulk.summary.expired':
    'Expired on {when} without enough approvals: nothing was sent to Defender. Start a new request if the devices still need offboarding.',
  'bulk.summary.executing':
    "Approved. The devices are being sent to Defender at its API's pace; this card shows the progress.",
  'bulk.summary.tracking': 'Defender is carrying out the offboarding. This card updates as devices finish.',
  'bulk.summary.done':
    'Finished. Devices that were not offboarded, or whose outcome is unknown, are listed in the thread: check them in the Defender portal.',

  // Confirm prompt (cards/bulk-confirm-card.ts)
  'bulk.confirm.title': { one: 'Offboard {count} device?', other: 'Offboard {count} devices?' },
  'bulk.confirm.text': {
    one: '{selectors} selects {count} device. Confirm to open one request for the devices it selects when you click; they are shown on the request card before anyone approves.',
    other:
      '{selectors} selects {count} devices. Confirm to open one request for the devices it selects when you click; they are shown on the request card before anyone approves.',
  },
  'bulk.confirm.button': 'Open the request',
  'bulk.confirm.onlyRequester': 'Only the person who typed the command can confirm it.',
  'bulk.confirm.invalid': 'This button no longer holds a valid command. Type the command again.',
  'bulk.confirm.opened': {
    one: 'Request {id} opened for {count} device: see its card.',
    other: 'Request {id} opened for {count} devices: see its card.',
  },

  // Chat answers (bot/teams/bulk-open.ts)
  'bulk.tooMany':
    'That selects {count} devices; one request takes at most {limit}. Narrow it down (add `inactive:` or `group:`), or split it into several requests.',
  'bulk.nothing': {
    one: 'The {count} device found cannot be offboarded: {reasons}.',
    other: 'None of the {count} devices found can be offboarded: {reasons}.',
  },
  'bulk.nothingMatched':
    'No device matches. Check the names, the tag or the device group in the Defender portal.',
  'bulk.reasonCount': '{reason} ({count})',
  'bulk.mixedRules': 'These devices fall under different rules ({rules}). Open one request per rule.',
  'bulk.ruleCount': '{rule}: {count}',
  'bulk.busy':
    'Device {device} was just put in another request ({id}), so nothing was opened. Type the command again to leave it out.',
  'bulk.queued':
    "Defender's API limit is reached: I'll look the devices up at about {time} UTC and answer here.",
  'bulk.personal':
    'Approvers cannot see this personal chat. To collect approvals, cancel request {id} and run the command in a channel or group chat where the approvers are.',
} as const;
