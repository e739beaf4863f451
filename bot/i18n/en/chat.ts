/** Chat replies to typed commands and card clicks (bot/teams/replies.ts, handlers.ts). */
export const chat = {
  'chat.noIdentity':
    'I could not tell who you are (no Entra identity on the message), so I cannot act on this.',
  'chat.unknownCommand': 'I don\'t know the command "{word}".',
  'chat.didYouMean': 'Did you mean `{suggestion}`?',
  'chat.helpIntro':
    'Offboarder offboards devices from Defender behind a two-person approval. What you can do:',
  'chat.statusUnknown': 'I know no request {id} that you can see here.',
  'chat.personalChat':
    'Approvers cannot see this personal chat. To collect approvals, cancel request {id} and ' +
    'run the command in a channel or group chat where the approvers are.',
  'chat.queued': "Defender's API limit is reached: I'll look up {device} at about {time} UTC.",
  'chat.unrecognisedAction': 'This action is not recognised.',
  'chat.unknownCard': 'This card does not belong to a known request.',
  'chat.invalidDeviceCard': 'This card does not name a valid device.',
  'chat.requestOpened': 'Request {id} opened: see the new card in this thread.',
  'chat.stillAmbiguous': 'Several devices still match; use the device id.',
  'chat.unknownOs': 'unknown OS',
  'chat.device': '**{name}** ({os}, id `{id}`)',
  'chat.notFound':
    'I found no device named **{query}** in Defender. Check the name, or use the device id from the Defender portal.',
  'chat.notFoundSimilar': 'I found no device named **{query}** in Defender. Similar names:\n\n{list}',
  'chat.unsupported': "I can't offboard {device}: {reason}",
  'chat.alreadyPending':
    '{device} already has an offboard action in Defender: `{actionId}`, status **{status}**. No new request was opened.',
  'chat.alreadyRequested':
    '{device} already has an open request: **{id}** ({state}). Use `status {id}` to see it.',
  'chat.statusHead': '**{id}**: offboard {devices}, requested by {requester}.',
  'chat.statusState': 'State: {state}.',
  'chat.statusApprovedBy': 'Approved by: {names}.',
  'chat.statusAction': 'Defender action `{actionId}`: {status}.',
  'chat.statusError': 'Error: {message}',
  'chat.ageMinutes': '{count} min',
  'chat.ageHours': '{count} h',
  'chat.ageDays': '{count} d',
  'chat.pendingNone': 'Nothing waits for you: no request awaits your approval and you have no open request.',
  'chat.pendingRequestedBy': ', requested by {requester} {age} ago',
  'chat.pendingOpenCard': 'open the card',
  'chat.pendingAwaiting': '**Awaiting your approval** ({count})',
  'chat.pendingMine': '**Your open requests** ({count})',
  'chat.pendingMore': '…and {count} more.',
  'chat.cancelUnknown': 'I know no request {id} that you can cancel here.',
  'chat.cancelled': 'Request {id} is cancelled: nothing was sent to Defender.',
  'chat.defenderCancelled':
    'The Defender action `{actionId}` of {id} is cancelled: the device stays onboarded.',
} as const;
