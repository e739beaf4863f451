/** Executing a request with many devices: the final summary, `status … failed`, stopping it. */
export const run = {
  'run.finished': {
    one: 'Request {id} is finished ({count} device).',
    other: 'Request {id} is finished ({count} devices).',
  },
  'run.succeeded': '✅ Offboarded: {count}',
  'run.failed': '❌ Not offboarded: {count}',
  'run.unknown':
    '❓ Outcome unknown: {count}. Check these devices in the Defender portal before asking again.',
  'run.pending': '⏳ Still pending at Defender: {count}',
  'run.cancelled': '🚫 Cancelled before they were sent: {count}',
  'run.unsent': '… Not sent yet: {count}',
  'run.failuresHeader': 'Devices not offboarded, or with an unknown outcome:',
  'run.failureLine': '- {device}: {reason}',
  'run.unknownReason': "outcome unknown, Defender's answer could not be confirmed",
  'run.actionEnded': 'Defender action {actionId} ended {status}',
  'run.more': {
    one: '…and {count} more (`status {id} failed` lists them all).',
    other: '…and {count} more (`status {id} failed` lists them all).',
  },
  'run.failedHeader': {
    one: 'Request {id}: {count} device was not offboarded or has an unknown outcome.',
    other: 'Request {id}: {count} devices were not offboarded or have an unknown outcome.',
  },
  'run.failedNone': 'Request {id}: no device has failed so far.',
  'run.stoppedUnsent': {
    one: '{count} device of request {id} was not sent yet: it is cancelled and will not be sent.',
    other: '{count} devices of request {id} were not sent yet: they are cancelled and will not be sent.',
  },
  'run.stoppedNone':
    'Every device of request {id} was already sent to Defender: there is nothing left to stop.',
  'run.stoppedSent': {
    one: '{count} device was already sent to Defender and follows its course (the card shows it).',
    other: '{count} devices were already sent to Defender and follow their course (the card shows them).',
  },
  'run.progress':
    '{succeeded} offboarded · {pending} pending · {failed} failed · {unknown} unknown · {unsent} not sent yet',
} as const;
