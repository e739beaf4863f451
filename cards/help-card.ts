/**
 * `help` as a card: the commands this person may use (requester, approver, both or
 * neither), each with an example, and the rules that would apply to their requests or
 * approvals. The roles come in from the caller; the card decides nothing.
 */
import { MAX_COMMENT_CHARS } from '../bot/commands';
import { runText } from './format';
import { loadTemplate, type AdaptiveCardJson } from './render';
import template from './help-card.json';

export interface HelpRoles {
  requester: boolean;
  approver: boolean;
  /** Rule summaries ("Servers: 3 approvals from Server Owners"), plain text. */
  rules: readonly string[];
}

interface CommandView {
  usage: string;
  what: string;
  example: string;
}

export interface HelpCardView {
  role: string;
  commands: CommandView[];
  rules: string[];
  show: { rules: boolean };
}

const OFFBOARD: CommandView = {
  usage: 'offboard {device} [comment]',
  what:
    'Asks to offboard a device, by name or 40-character Defender device id. Anything after the device is the ' +
    `comment Defender records (up to ${MAX_COMMENT_CHARS} characters); you can still edit it on the card.`,
  example: 'offboard WS-042 Laptop returned, user left on 31 May',
};
const STATUS: CommandView = {
  usage: 'status {request id}',
  what: 'Shows where a request of this conversation stands.',
  example: 'status OFB-7K2MXQ40',
};
const PENDING: CommandView = {
  usage: 'pending',
  what: 'Lists what waits for your approval and your own open requests, with links to their cards.',
  example: 'pending',
};
const CANCEL_REQUESTER: CommandView = {
  usage: 'cancel {request id}',
  what:
    'Cancels your request before it runs. After approval, while the device has not picked up the ' +
    'offboarding yet, cancels it at Defender.',
  example: 'cancel OFB-7K2MXQ40',
};
const CANCEL_APPROVER: CommandView = {
  ...CANCEL_REQUESTER,
  what:
    'After approval, while the device has not picked up the offboarding yet, cancels it at Defender ' +
    '(before approval, only the requester cancels).',
};
const HELP: CommandView = { usage: 'help', what: 'Shows this card.', example: 'help' };

export function helpCardView(roles: HelpRoles): HelpCardView {
  const { requester, approver } = roles;
  const role =
    requester && approver
      ? 'You may request offboarding and approve requests of others.'
      : requester
        ? 'You may request offboarding. Approvals come from other people.'
        : approver
          ? 'You may approve or reject requests of others on their cards.'
          : 'You are not on the lists of requesters or approvers: ask your security lead if you need to be.';
  const commands = [
    ...(requester ? [OFFBOARD] : []),
    ...(requester || approver ? [STATUS, PENDING, requester ? CANCEL_REQUESTER : CANCEL_APPROVER] : []),
    HELP,
  ];
  const rules = requester || approver ? roles.rules.map(runText) : [];
  return { role, commands, rules, show: { rules: rules.length > 0 } };
}

const helpCard = loadTemplate<HelpCardView>(template, 'help-card.json');

export function renderHelpCard(roles: HelpRoles): AdaptiveCardJson {
  return helpCard.expand(helpCardView(roles));
}
