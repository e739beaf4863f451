/**
 * Help and usage (bot/commands/help.ts). Command words stay English: they are typed.
 * `{{device}}` renders as `{device}` in the reader's words (the `help.arg*` keys).
 */
export const help = {
  'help.argDevice': 'device',
  'help.argComment': 'comment',
  'help.argRequestId': 'request id',
  'help.offboardUsage':
    '`offboard {{device}} [{comment}]`, for example `offboard WS-042 Laptop returned to IT`',
  'help.statusUsage': '`status {{requestId}}`, for example `status OFB-7K2MXQ40`',
  'help.argTag': 'tag',
  'help.argDeviceGroup': 'device group',
  'help.bulkUsage':
    '`offboard {{device}}, {{device}}, … [{comment}]`, or `offboard tag:{{tag}} group:"{{deviceGroup}}" ' +
    'inactive:{N}d [{comment}]`, for example `offboard ws-1, ws-2, ws-3 Lab retired`',
  'help.cancelUsage': '`cancel {{requestId}}`, for example `cancel OFB-7K2MXQ40`',
  'help.intro':
    '**Offboarder** offboards devices from Microsoft Defender for Endpoint, behind a two-person approval.',
  'help.offboard':
    '- `offboard {{device}} [{comment}]`: asks to offboard a device. `{{device}}` is its name (`WS-042` or ' +
    '`ws-042.contoso.local`) or its 40-character Defender device id. Anything after the device is the ' +
    'comment Defender records (up to {max} characters); you can still edit it on the card.',
  'help.offboardExample': '  Example: `offboard WS-042 Laptop returned, user left on 31 May`',
  'help.status': '- `status {{requestId}}`: shows where a request stands. Example: `status OFB-7K2MXQ40`',
  'help.bulkList':
    '- `offboard {{device}}, {{device}}, … [{comment}]`: asks to offboard several devices under one approval ' +
    '(commas, or one device per line); the comment follows the last device. Example: `offboard ws-1, ws-2 retired lab`',
  'help.bulkSelectors':
    '- `offboard tag:{{tag}} group:"{{deviceGroup}}" inactive:{N}d [{comment}]`: every device with a Defender tag ' +
    'or in a device group, optionally only those last seen more than {N} days ago. A large selection asks you to ' +
    'confirm the count first. Example: `offboard tag:lab-retired inactive:30d decommissioned`',
  'help.statusFailed':
    '- `status {{requestId}} failed`: lists the devices of a request that were not offboarded, or whose outcome ' +
    'is unknown. Example: `status OFB-7K2MXQ40 failed`',
  'help.pending':
    '- `pending`: lists what waits for your approval, and your own open requests, with links to their cards.',
  'help.cancel':
    '- `cancel {{requestId}}`: cancels your request before it runs; after approval, cancels the Defender ' +
    'action while the device has not picked it up yet (requester or approver). Example: `cancel OFB-7K2MXQ40`',
  'help.help': '- `help`: shows this message.',
  // The help card (cards/help-card.ts): the bulk forms and `status … failed`.
  'help.card.bulkList':
    'Asks to offboard several devices under one approval: separate them with commas, or put one per line. The comment follows the last device.',
  'help.card.bulkSelectors':
    'Every device with a Defender tag or in a device group; with inactive:, only those last seen more than N days ago. A large selection asks you to confirm the count first.',
  'help.card.statusFailed':
    'For a request with many devices: lists those not offboarded, or whose outcome is unknown, with the reason.',
  'help.card.exampleList': 'retired lab',
  'help.card.exampleSelectors': 'decommissioned',
  'help.outro':
    'Nothing happens in Defender until someone other than the requester approves the request on its card.',
} as const;
