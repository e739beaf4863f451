/** Texts posted into a request's thread without a command (bot/offboarding/notices.ts). */
export const notice = {
  'notice.expired':
    'Request {id} expired without enough approvals: nothing was sent to Defender. ' +
    'Start a new request if {devices} still needs offboarding.',
  'notice.finished': 'Request {id} is finished.',
  'notice.succeeded': '✅ {device} was offboarded (Defender action {actionId}: Succeeded).',
  'notice.ended':
    '⚠️ {device}: Defender action {actionId} ended with status {status}. The device may still be onboarded; check it in the Defender portal.',
  'notice.unknownOutcome':
    "❓ {device}: outcome unknown. Defender's answer could not be confirmed, so the device may or may not be offboarded: check its Action center in the Defender portal before asking again{ref}.",
  'notice.failed': '❌ {device} was not offboarded: {error}{ref}',
  'notice.unknownError': 'unknown error',
  // Why a device was not offboarded, as the executor records it (bot/offboarding/executor.ts).
  'notice.error.approvalsNoLonger':
    'The approvals no longer satisfy the two-person rule ({reason}), so nothing was sent to Defender.',
  'notice.error.requesterRevoked': '{name} is no longer an authorized requester',
  'notice.error.approvalsCounted': '{counted} of the {needed} approvals needed are by current approvers',
  'notice.error.ruleForbids': 'devices under the rule "{rule}" cannot be offboarded from chat',
  // Status checks (bot/offboarding/tracker.ts).
  'notice.error.cancelledBeforeSend': 'Cancelled by {name} before it was sent to Defender.',
  'notice.error.notListed': 'Defender did not list this action; asking again.',
  'notice.error.unconfirmed': {
    one: "Defender's answer could not be confirmed after {count} attempts ({detail}).",
    other: "Defender's answer could not be confirmed after {count} attempts ({detail}).",
  },
  'notice.error.unreachable': {
    one: 'Defender could not be reached after {count} attempts ({detail}). Check the device in the Defender portal before asking again.',
    other:
      'Defender could not be reached after {count} attempts ({detail}). Check the device in the Defender portal before asking again.',
  },
  'notice.supportRef': ' (support reference: {ref})',
  'notice.defenderCancelled':
    '{name} cancelled the offboarding at Defender (action {actionId}) before the device picked it up.',
  'notice.reminder':
    'Reminder: request {id} to offboard {devices} still needs {need} and expires in about {hours} h. {who}',
  'notice.moreApprovals': { one: '{count} more approval', other: '{count} more approvals' },
  'notice.youMayApprove': 'You may approve or reject it on the card above.',
  'notice.ruleMayApprove': 'Approvers under "{rule}" may approve or reject it on the card above.',
  'notice.ruleMayApproveUnmentioned':
    'Approvers under "{rule}" may approve or reject it on the card above (none of them could be @mentioned: the bot knows no Teams id for them in this conversation).',
} as const;
