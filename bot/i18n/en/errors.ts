/**
 * Refusals, typed errors and the parser's complaints. The core names an entry by key with
 * its values (docs/i18n.md, "Errors and refusals"); its English `message` is rendered from
 * here, and the chat renders the reader's language (bot/teams/localized-errors.ts).
 */
export const errors = {
  'errors.unexpected':
    'Something went wrong on my side (reference {ref}). Nothing was offboarded; please try again or tell your admin.',
  // The two-person rule (bot/request/policy.ts).
  'errors.finished': 'Request {id} is already {state}.',
  'errors.inProgress': 'Request {id} has been approved and is being carried out.',
  'errors.onlyRequesterSubmits': 'Only {name}, who opened this request, can submit it.',
  'errors.commentLocked': 'Approval has already been requested; the comment is locked.',
  'errors.invalidComment': 'Please enter a comment (1–{max} characters): {why}',
  'errors.notSubmitted': 'The requester has not asked for approval yet.',
  'errors.selfApproval': 'You opened this request, so you cannot approve it.',
  'errors.notApprover': 'You are not an authorized approver for offboarding.',
  'errors.requesterRevoked':
    '{name}, who opened this request, is no longer an authorized requester: it cannot be approved.',
  'errors.alreadyApproved': 'You have already approved this request; a second person must approve.',
  'errors.rejectState': 'Only a request awaiting approval can be rejected.',
  'errors.requesterRejects': 'You opened this request: use "Cancel request" instead.',
  'errors.invalidReason': 'Please give a reason (1–{max} characters): {why}',
  'errors.onlyRequesterCancels': 'Only {name}, who opened this request, can cancel it.',
  'errors.wrongTenant': 'This bot does not serve your organization.',
  'errors.notRequester': 'You are not authorized to request offboarding. Ask your security lead.',
  'errors.otherTenant': 'This request belongs to another organization.',
  'errors.whyEmpty': 'it is empty.',
  'errors.whyLength': { one: 'it has {count} character.', other: 'it has {count} characters.' },
  'errors.whyControl': 'it contains control characters.',
  // Rules and use cases (bot/offboarding/*).
  'errors.ruleForbids': 'Devices under the rule "{rule}" cannot be offboarded from chat.',
  'errors.ruleNotRequester':
    'You are not authorized to request offboarding of devices under the rule "{rule}". Ask your security lead.',
  'errors.ruleUnreachable':
    'This request could never be approved: the rule "{rule}" needs {approvals} from people other than you, ' +
    'and only {others}. Ask your security lead.',
  'errors.approvalsCount': { one: '{count} approval', other: '{count} approvals' },
  'errors.otherApprovers': {
    one: '{count} other person is an approver',
    other: '{count} other people are approvers',
  },
  'errors.ruleUnchecked': 'The rule "{rule}" cannot be checked right now; please try again.',
  'errors.expired': 'Request {id} has expired.',
  'errors.cancelSending': 'Request {id} is being sent to Defender right now; try again in a moment.',
  'errors.cancelNothing': 'Request {id} is already {state}: there is nothing to cancel.',
  'errors.cancelNotAllowed':
    'Only {name}, who opened request {id}, or an approver can cancel its Defender action.',
  'errors.bulkStopNotAllowed': 'Only {name}, who opened request {id}, or an approver can stop it.',
  'errors.cancelNoAction': 'Request {id} has no Defender action to cancel.',
  'errors.cancelPickedUp':
    'The Defender action of {id} is {status}: the device has picked it up, so it can no longer be cancelled.',
  'errors.busy': 'This request is changing very fast right now; please try again.',
  'errors.storeUnavailable':
    "The bot can't read or write its request store right now. Try again in a few minutes; if it keeps happening, tell the bot administrator.",
  'errors.deviceBusy': 'This device already has an open offboarding request.',
  'errors.deviceBusyId': 'This device already has an open offboarding request ({id}).',
  'errors.graphUnavailable': "I can't verify your group membership right now; please try again in a minute.",
  'errors.approverCheckUnavailable':
    "Microsoft Graph could not confirm the approvers' group membership, so nothing was sent to Defender yet",
  'errors.graphInvalidResponse':
    "I can't verify your group membership: Microsoft Graph sent an answer I could not read. Try again later.",
  'errors.graphForbidden':
    "I can't verify group membership: Microsoft Graph refused the bot's app registration. " +
    'It needs the application permissions User.Read.All and GroupMember.Read.All with admin consent.',
  'errors.graphBadConfiguration':
    "I can't verify group membership: a configured group id is not a group in this tenant. " +
    'Check OFFBOARD_REQUESTER_GROUPS, OFFBOARD_APPROVER_GROUPS and the policy file.',
  // Defender failures (bot/defender/defender-error.ts); {ref} is errors.defender.ref or empty.
  'errors.defender.what.reach': 'reach Defender',
  'errors.defender.what.listMachines': 'look up devices',
  'errors.defender.what.getMachine': 'read the device',
  'errors.defender.what.offboard': 'offboard the device',
  'errors.defender.what.listActions': 'read the device actions',
  'errors.defender.what.getAction': 'read the machine action',
  'errors.defender.what.cancelAction': 'cancel the machine action',
  'errors.defender.ref': ' (support reference: {ref})',
  'errors.defender.tokenManagedIdentity':
    "The bot could not get a Defender access token from its host's managed identity. Check that the " +
    'identity is assigned to the app and, for a user-assigned one, that MDE_MANAGED_IDENTITY_CLIENT_ID is ' +
    'its client id.{detail}',
  'errors.defender.identitySaid': ' The identity endpoint said: {detail}.',
  'errors.defender.tokenEntra':
    'The bot could not get a Defender access token from Microsoft Entra ID. Check the app ' +
    'registration: tenant id, client id, and that its client secret or certificate is ' +
    'current and not expired.{detail}',
  'errors.defender.entraSaid': ' Entra ID said: {detail}.',
  'errors.defender.osNotSupported':
    'Defender cannot offboard this device through the API: its operating system is not ' +
    'supported (only Windows 10 1703+, Windows 11 and Windows Server 2019+; macOS and Linux ' +
    'devices must be offboarded on the device itself).{ref}',
  'errors.defender.clientVersion':
    'Defender cannot offboard this device through the API: its Windows version is too old ' +
    '(Windows 10 needs version 1703 or later; Server 2012 R2/2016 need the unified agent).{ref}',
  'errors.defender.alreadyInProgress':
    'Defender says an action is already in progress for this device; wait for it to finish or cancel it.{ref}',
  'errors.defender.unauthorized':
    "Defender rejected the bot's access token (401) when trying to {what}. Check that the app " +
    'registration is in the right tenant and the token scope is the Defender for Endpoint API ' +
    '(https://api.securitycenter.microsoft.com/.default).{ref}',
  'errors.defender.forbidden':
    'Defender refused to {what} ({status}): the app registration needs the application permission ' +
    '{permission} with admin consent, and the device must be in a device group the app may access.{ref}',
  'errors.defender.notFound': 'Defender found nothing to {what}: no such device or action (404).{ref}',
  'errors.defender.throttled':
    'Defender is throttling the bot (429) while trying to {what}{wait}. Try again shortly.{ref}',
  'errors.defender.wait': '; it asks to wait {seconds} s',
  'errors.defender.serverError':
    'Defender had an internal error ({status}) while trying to {what}. Try again later.{ref}',
  'errors.defender.timeout': 'Defender did not answer in time while trying to {what}{detail}.{ref}',
  'errors.defender.network':
    'The bot could not reach Defender to {what} (network error). Try again later.{ref}',
  'errors.defender.invalidResponse':
    'Defender sent an answer the bot could not read while trying to {what}.{ref}',
  'errors.defender.outcomeUnknown':
    'The request to {what} failed and the bot could not confirm whether Defender received it. ' +
    "Check the device's action history in the Defender portal before trying again.{ref}",
  'errors.defender.badRequest': 'Defender rejected the request to {what} ({status}).{ref}',
  // Why a device cannot be offboarded through the API (bot/offboarding/platform.ts).
  'errors.platform.oldBuild': 'Windows 10 build {build} is older than version 1703 (build 15063).',
  'errors.platform.oldVersion': 'Windows 10 version {version} is older than version 1703.',
  'errors.platform.noUnifiedAgent':
    '{os} can be offboarded through the API only when it runs the unified agent, and this device does not report it.',
  'errors.platform.unsupported':
    "Defender's offboard API supports Windows 10 (1703+), Windows 11 and Windows Server 2019+; this device runs {os}. Offboard it with the platform's offboarding package instead.",
  'errors.platform.unknownOs': 'an unknown platform',
  // A finished request's state, mid-sentence.
  'errors.state.completed': 'completed',
  'errors.state.failed': 'failed',
  'errors.state.outcomeUnknown': 'outcome unknown',
  'errors.state.rejected': 'rejected',
  'errors.state.cancelled': 'cancelled',
  'errors.state.expired': 'expired',
  // The typed-command parser (bot/commands/parse.ts, machine.ts).
  'errors.parse.tooLong':
    'That message is too long: commands have at most {max} characters. Use a shorter comment.\n\nUsage: {usage}',
  'errors.parse.controlChars':
    'Your message contains a hidden control character ({char}). Type the command again instead of pasting it. Send `help` to see the commands.',
  'errors.parse.missingMachine': 'Which device should be offboarded?\n\nUsage: {usage}',
  'errors.parse.commentTooLong': {
    one: 'The comment is {count} characters long; the limit is {max}. Shorten it, or put the details in your ticket and refer to it.\n\nUsage: {usage}',
    other:
      'The comment is {count} characters long; the limit is {max}. Shorten it, or put the details in your ticket and refer to it.\n\nUsage: {usage}',
  },
  'errors.parse.missingRequestId': 'Which request?\n\nUsage: {usage}',
  'errors.parse.badRequestId':
    '{token} is not a request id: ids look like `OFB-7K2MXQ40` (OFB- and 8 letters or digits).\n\nUsage: {usage}',
  'errors.parse.machineTooLong':
    'That device name is too long: a name has at most {max} characters.\n\nUsage: {usage}',
  'errors.parse.invisibleChars':
    'The device {token} contains an invisible character ({char}), often picked up by copy and paste. Type the name again.\n\nUsage: {usage}',
  'errors.parse.entraId':
    '{token} looks like an Entra (Azure AD) device id. Use the device name or its 40-character Defender device id.\n\nUsage: {usage}',
  'errors.parse.nearDeviceId':
    '{token} looks like a Defender device id, but those have exactly 40 hex characters and this one has {count}.\n\nUsage: {usage}',
  'errors.parse.badMachine':
    "{token} can't be a device: {problem}. Device names use letters, digits, hyphens, underscores and dots; device ids are 40 hex characters.\n\nUsage: {usage}",
  // Bulk forms (bot/commands/bulk.ts, selectors.ts).
  'errors.parse.emptyItem':
    'The list has an empty item (two commas in a row, or a comma at the end).\n\nUsage: {usage}',
  'errors.parse.duplicateDevice': '{item} is listed twice (as {other} too). Name each device once.',
  'errors.parse.tooManyDevices': {
    one: 'You listed {count} device; one request takes at most {max}. Split the list.',
    other: 'You listed {count} devices; one request takes at most {max}. Split the list.',
  },
  'errors.parse.inactiveAlone':
    '`inactive:` alone would select every stale device in the tenant. Combine it with `tag:` or `group:`, or with a list of devices.\n\nUsage: {usage}',
  'errors.parse.bulkCommentTooLong': {
    one: 'The comment is {count} characters long; the limit is {max}.',
    other: 'The comment is {count} characters long; the limit is {max}.',
  },
  'errors.parse.selectorOnce': 'Use `{kind}:` once.\n\nUsage: {usage}',
  'errors.parse.quoteNotClosed': 'The quote after `{kind}:` is not closed.\n\nUsage: {usage}',
  'errors.parse.spaceAfterQuote': 'Leave a space after the closing quote of `{kind}:`.\n\nUsage: {usage}',
  'errors.parse.selectorEmpty': '`{kind}:` needs a value, e.g. `{example}`.\n\nUsage: {usage}',
  'errors.parse.notDays': '{value} is not a number of days: write `inactive:30d`.\n\nUsage: {usage}',
  'errors.parse.daysRange':
    '`inactive:` takes {min} to {max} days (Defender keeps devices for at most {max} days); {days} is out of range.\n\nUsage: {usage}',
  'errors.parse.selectorTooLong': 'A `{kind}:` value has at most {max} characters.\n\nUsage: {usage}',
} as const;
