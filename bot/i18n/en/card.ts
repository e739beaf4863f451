/**
 * Every word on the Adaptive Cards (cards/*). Times arrive as `{when}`: on a card that
 * is Adaptive Card DATE()/TIME() functions, so Teams writes them in the viewer's zone.
 * Messages with `{name}` or `{query}` are split around it by cards/labels.ts (the name
 * goes in its own bold TextRun), so keep exactly one of them where it appears.
 */
export const card = {
  // Times (cards/format.ts)
  'card.dateTime': '{date} at {time}',
  'card.withRelative': '{when} ({relative})',
  'card.in': 'in {duration}',
  'card.ago': '{duration} ago',
  'card.inUnderMinute': 'in less than a minute',
  'card.underMinuteAgo': 'less than a minute ago',
  'card.minutes': '{minutes} min',
  'card.hours': '{hours} h',
  'card.hoursMinutes': '{hours} h {minutes} min',
  'card.days': '{days} d',
  'card.daysHours': '{days} d {hours} h',

  // Request card: header and what the state means
  'card.title': 'Offboard device {device}',
  'card.titleMany': { one: 'Offboard {count} device', other: 'Offboard {count} devices' },
  'card.requestId': 'Request {id}',
  'card.summary.draft': {
    one: 'Add a comment, then request approval. Nothing is sent to Defender until {count} person other than the requester approves.',
    other:
      'Add a comment, then request approval. Nothing is sent to Defender until {count} people other than the requester approve.',
  },
  'card.summary.awaiting': 'Nothing is sent to Defender until the request is approved.',
  'card.summary.queued': "Approved. Defender's API rate limit is reached, so the call waits in the queue.",
  'card.summary.executing': 'Approved. The offboarding is being sent to Defender.',
  'card.summary.tracking':
    'Defender accepted the offboarding and is carrying it out. This card updates when it finishes.',
  'card.summary.defenderCancelled':
    'Cancelled at Defender before the device picked up the offboarding: the device stays onboarded.',
  'card.summary.succeeded':
    'Offboarded. The device no longer reports to Defender; it must be onboarded again to come back.',
  'card.summary.notSucceeded':
    'Defender reports that the offboarding did not succeed. The device may still be onboarded: check it in the Defender portal and quote the support reference when asking for help.',
  'card.summary.failed': 'Defender did not accept the offboarding: nothing was changed on the device.',
  'card.summary.outcomeUnknown':
    "Outcome unknown: Defender's answer could not be confirmed, so the device may or may not be offboarded. Check the Defender portal (device {devices}, Action center) before asking again.",
  'card.summary.rejected': 'Rejected: nothing was sent to Defender.',
  'card.summary.cancelled': 'Cancelled: nothing was sent to Defender.',
  'card.summary.expired':
    'Expired on {when} without enough approvals: nothing was sent to Defender. Start a new request if the device still needs offboarding.',

  // State badges (cards/state-badge.ts), also named in chat replies
  'card.badge.draft': 'Draft',
  'card.badge.awaiting': 'Awaiting approval ({count} of {required})',
  'card.badge.queued': 'Queued at Defender until {when}',
  'card.badge.executing': 'Executing',
  'card.badge.tracking': 'Offboarding in progress',
  'card.badge.succeeded': 'Succeeded',
  'card.badge.failed': 'Failed',
  'card.badge.defenderCancelled': 'Cancelled at Defender',
  'card.badge.outcomeUnknown': 'Outcome unknown',
  'card.badge.rejected': 'Rejected',
  'card.badge.cancelled': 'Cancelled',
  'card.badge.expired': 'Expired',

  // Device facts
  'card.device': 'Device',
  'card.deviceOf': 'Device {index} of {total}',
  'card.fact.name': 'Name',
  'card.fact.deviceId': 'Device id',
  'card.fact.os': 'OS',
  'card.fact.health': 'Health',
  'card.fact.lastSeen': 'Last seen',
  'card.fact.riskScore': 'Risk score',
  'card.fact.exposureLevel': 'Exposure level',
  'card.fact.tags': 'Tags',
  'card.fact.deviceGroup': 'Device group',
  'card.health.Active': 'Active',
  'card.health.Inactive': 'Inactive',
  'card.health.ImpairedCommunication': 'Impaired communication',
  'card.health.NoSensorData': 'No sensor data',
  'card.health.NoSensorDataImpairedCommunication': 'No sensor data, impaired communication',
  'card.health.Unknown': 'Unknown',
  'card.level.None': 'None',
  'card.level.Informational': 'Informational',
  'card.level.Low': 'Low',
  'card.level.Medium': 'Medium',
  'card.level.High': 'High',
  'card.osBuild': '(build {build})',

  // What Defender did
  'card.fact.action': 'Defender action',
  'card.fact.status': 'Defender status',
  'card.fact.queuedUntil': 'Queued until',
  'card.fact.checkedAt': 'Last checked',
  'card.fact.error': 'Error',
  'card.fact.supportRef': 'Support reference',
  'card.status.Pending': 'Pending at Defender',
  'card.status.InProgress': 'In progress',
  'card.status.Succeeded': 'Succeeded',
  'card.status.Failed': 'Failed',
  'card.status.TimeOut': 'Timed out at Defender',
  'card.status.Cancelled': 'Cancelled at Defender',
  'card.status.unknown': 'Outcome unknown: check the Defender portal',
  'card.status.notAccepted': 'Not accepted by Defender',
  'card.status.retryGraph': 'Retrying: Microsoft Graph did not answer',
  'card.status.retryDefender': 'Retrying: Defender did not answer',
  'card.status.queued': 'Queued (Defender API rate limit)',
  'card.status.sending': 'Sending to Defender',
  'card.status.notStarted': 'Not started',
  'card.retryAt': '{error}. Will retry {when}.',
  'card.retry': '{error}. Will retry.',

  // People and the comment
  'card.warning':
    'Offboarding stops the Defender sensor: the device stops reporting and must be onboarded again to return. This cannot be undone from here.',
  'card.requestedBy': 'Requested by {name} on {when}',
  'card.rule': 'Rule: {name}',
  'card.commentLabel': 'Why should this device be offboarded?',
  'card.commentPlaceholder': 'Ticket number and reason. Sent to Defender as the offboarding comment.',
  'card.commentError': {
    one: 'Write a comment (up to {count} character) before requesting approval.',
    other: 'Write a comment (up to {count} characters) before requesting approval.',
  },
  'card.commentLocked': 'Comment (locked, sent to Defender)',
  'card.approvals': 'Approvals: {count} of {required}',
  'card.approvedBy': 'Approved by {name} on {when}',
  'card.notApprover': ': no longer an approver',
  'card.remaining': {
    one: '{count} more approval needed, from someone other than the requester.',
    other: '{count} more approvals needed, from someone other than the requester.',
  },
  'card.canApprove': 'Can approve: {names}.',
  'card.andMore': '{names} and {count} more',
  'card.selfApproval': 'The requester cannot approve their own request.',
  'card.expires': 'Expires {when}',
  'card.rejectedBy': 'Rejected by {name} on {when}',
  'card.reason': 'Reason',
  'card.cancelledBy': 'Cancelled by {name} on {when}',
  'card.defenderCancelledBy': 'Cancelled at Defender by {name} on {when}, before the device picked it up',

  // Buttons and the reject form: keep titles short (test/unit/cards.i18n.test.ts)
  'card.button.submit': 'Request approval',
  'card.button.approve': 'Approve',
  'card.button.rejectOpen': 'Reject…',
  'card.button.reject': 'Reject',
  'card.button.cancel': 'Cancel request',
  'card.button.refresh': 'Refresh status',
  'card.button.choose': 'Offboard this one',
  'card.rejectLabel': 'Why is this request rejected?',
  'card.rejectError': {
    one: 'Give a reason (up to {count} character) to reject.',
    other: 'Give a reason (up to {count} characters) to reject.',
  },

  // "Several devices match"
  'card.choose.match': 'Several devices match {query}',
  'card.choose.hint':
    'Choose the one to offboard. This opens a request; nothing is sent to Defender until it is approved.',
  'card.choose.more': {
    one: 'And {count} more device: use the device id to pick it.',
    other: 'And {count} more devices: use the device id to pick one of them.',
  },

  // Help card
  'card.help.tagline':
    'Offboards devices from Microsoft Defender for Endpoint, behind a two-person approval.',
  'card.help.roleBoth': 'You may request offboarding and approve requests of others.',
  'card.help.roleRequester': 'You may request offboarding. Approvals come from other people.',
  'card.help.roleApprover': 'You may approve or reject requests of others on their cards.',
  'card.help.roleNone':
    'You are not on the lists of requesters or approvers: ask your security lead if you need to be.',
  'card.help.argDevice': 'device',
  'card.help.argComment': 'comment',
  'card.help.argRequestId': 'request id',
  'card.help.offboard': {
    one: 'Asks to offboard a device, by name or 40-character Defender device id. Anything after the device is the comment Defender records (up to {count} character); you can still edit it on the card.',
    other:
      'Asks to offboard a device, by name or 40-character Defender device id. Anything after the device is the comment Defender records (up to {count} characters); you can still edit it on the card.',
  },
  'card.help.exampleComment': 'Laptop returned, user left on 31 May',
  'card.help.status': 'Shows where a request of this conversation stands.',
  'card.help.pending':
    'Lists what waits for your approval and your own open requests, with links to their cards.',
  'card.help.cancelRequester':
    'Cancels your request before it runs. After approval, while the device has not picked up the offboarding yet, cancels it at Defender.',
  'card.help.cancelApprover':
    'After approval, while the device has not picked up the offboarding yet, cancels it at Defender (before approval, only the requester cancels).',
  'card.help.help': 'Shows this card.',
  'card.help.example': 'Example: {name}',
  'card.help.rules': 'Rules that apply',
  'card.help.footer':
    'Nothing happens in Defender until someone other than the requester approves the request on its card.',
} as const;
