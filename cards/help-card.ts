/**
 * `help` as a card: the commands this person may use (requester, approver, both or
 * neither; requesters also see the bulk forms of docs/bulk.md), each with an example, and the rules that would apply to their requests or
 * approvals. The roles come in from the caller; the card decides nothing.
 */
import { MAX_COMMENT_CHARS } from '../bot/commands';
import type { Locale, Translator } from '../bot/i18n';
import { around, runText } from './format';
import { cardTranslator, loadTemplate, type AdaptiveCardJson } from './render';
import template from './help-card.json';

export interface HelpRoles {
  requester: boolean;
  approver: boolean;
  /** Rule summaries ("Servers: 3 approvals from Server Owners"), plain text. */
  rules: readonly string[];
}

/** Options of the help card: only its language (English when absent). */
export interface HelpCardOptions {
  locale?: Locale;
}

interface CommandView {
  usage: string;
  what: string;
  example: string;
}

function labels(t: Translator) {
  return {
    tagline: t('card.help.tagline'),
    example: around(t('card.help.example')),
    rules: t('card.help.rules'),
    footer: t('card.help.footer'),
  };
}

export interface HelpCardView {
  labels: ReturnType<typeof labels>;
  role: string;
  commands: CommandView[];
  rules: string[];
  show: { rules: boolean };
}

/**
 * The commands as typed: the command words stay English (the parser's), the
 * arguments are named in the card's language (`offboard {device} [comment]`).
 */
function commands(t: Translator) {
  const device = `{${t('card.help.argDevice')}}`;
  const comment = `[${t('card.help.argComment')}]`;
  const requestId = `{${t('card.help.argRequestId')}}`;
  const tag = `{${t('help.argTag')}}`;
  const group = `"{${t('help.argDeviceGroup')}}"`;
  const cancel = { usage: `cancel ${requestId}`, example: 'cancel OFB-7K2MXQ40' };
  return {
    offboard: {
      usage: `offboard ${device} ${comment}`,
      what: t('card.help.offboard', { count: MAX_COMMENT_CHARS }),
      example: `offboard WS-042 ${t('card.help.exampleComment')}`,
    },
    bulkList: {
      usage: `offboard ${device}, ${device}, … ${comment}`,
      what: t('help.card.bulkList'),
      example: `offboard ws-1, ws-2 ${t('help.card.exampleList')}`,
    },
    bulkSelectors: {
      usage: `offboard tag:${tag} group:${group} inactive:{N}d ${comment}`,
      what: t('help.card.bulkSelectors'),
      example: `offboard tag:lab-retired inactive:30d ${t('help.card.exampleSelectors')}`,
    },
    status: {
      usage: `status ${requestId}`,
      what: t('card.help.status'),
      example: 'status OFB-7K2MXQ40',
    },
    statusFailed: {
      usage: `status ${requestId} failed`,
      what: t('help.card.statusFailed'),
      example: 'status OFB-7K2MXQ40 failed',
    },
    pending: { usage: 'pending', what: t('card.help.pending'), example: 'pending' },
    cancelRequester: { ...cancel, what: t('card.help.cancelRequester') },
    cancelApprover: { ...cancel, what: t('card.help.cancelApprover') },
    help: { usage: 'help', what: t('card.help.help'), example: 'help' },
  } satisfies Record<string, CommandView>;
}

export function helpCardView(roles: HelpRoles, opts: HelpCardOptions = {}): HelpCardView {
  const t = cardTranslator(opts);
  const { requester, approver } = roles;
  const role =
    requester && approver
      ? t('card.help.roleBoth')
      : requester
        ? t('card.help.roleRequester')
        : approver
          ? t('card.help.roleApprover')
          : t('card.help.roleNone');
  const c = commands(t);
  const list = [
    ...(requester ? [c.offboard, c.bulkList, c.bulkSelectors] : []),
    ...(requester || approver
      ? [c.status, c.statusFailed, c.pending, requester ? c.cancelRequester : c.cancelApprover]
      : []),
    c.help,
  ];
  const rules = requester || approver ? roles.rules.map(runText) : [];
  return {
    labels: labels(t),
    role,
    commands: list,
    rules,
    show: { rules: rules.length > 0 },
  };
}

const helpCard = loadTemplate<HelpCardView>(template, 'help-card.json');

export function renderHelpCard(roles: HelpRoles, opts: HelpCardOptions = {}): AdaptiveCardJson {
  return helpCard.expand(helpCardView(roles, opts));
}
