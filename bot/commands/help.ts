/**
 * Chat text for help and usage hints (Teams markdown). Placeholders are written
 * `{device}`, not `<device>`: Teams may read angle brackets as HTML and drop them.
 */
import { MAX_COMMENT_CHARS } from './limits';

export const OFFBOARD_USAGE =
  '`offboard {device} [comment]`, for example `offboard WS-042 Laptop returned to IT`';

export const STATUS_USAGE = '`status {request id}`, for example `status OFB-7K2MXQ40`';

export const PENDING_USAGE = '`pending`: what waits for your approval, and your own open requests';

export const CANCEL_USAGE = '`cancel {request id}`, for example `cancel OFB-7K2MXQ40`';

export const HELP_TEXT = [
  '**Offboarder** offboards devices from Microsoft Defender for Endpoint, behind a two-person approval.',
  '',
  '- `offboard {device} [comment]`: asks to offboard a device. `{device}` is its name (`WS-042` or ' +
    '`ws-042.contoso.local`) or its 40-character Defender device id. Anything after the device is the ' +
    `comment Defender records (up to ${MAX_COMMENT_CHARS} characters); you can still edit it on the card.`,
  '  Example: `offboard WS-042 Laptop returned, user left on 31 May`',
  '- `status {request id}`: shows where a request stands. Example: `status OFB-7K2MXQ40`',
  '- `pending`: lists what waits for your approval, and your own open requests, with links to their cards.',
  '- `cancel {request id}`: cancels your request before it runs; after approval, cancels the Defender ' +
    'action while the device has not picked it up yet (requester or approver). Example: `cancel OFB-7K2MXQ40`',
  '- `help`: shows this message.',
  '',
  'Nothing happens in Defender until someone other than the requester approves the request on its card.',
].join('\n');
