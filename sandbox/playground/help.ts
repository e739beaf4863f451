import { PLAYGROUND_IDS, playgroundPeople } from './config';
import { SANDBOX_GROUPS } from '../users';
import { DEFAULT_PLAYGROUND_PORT } from './paths';
import { localeOf, translator, type Locale } from '../../bot/i18n';

/**
 * The block `npm start` prints once everything is up: short enough to read at a glance.
 * In BOT_DEFAULT_LOCALE; commands and names stay as they are typed.
 */
export function PLAYGROUND_HELP(url: string, locale: Locale = 'en'): string {
  const t = translator(locale);
  const port = Number(new URL(url).port);
  const portArg = port === DEFAULT_PLAYGROUND_PORT ? '' : ` --port ${port}`;
  const [me, ...others] = playgroundPeople();
  const approvers = others.filter((p) => p.roles.includes('approver')).map((p) => p.key);
  // Members of the approver group qualify through the Graph stand-in, not a list.
  const viaGroup: readonly string[] = SANDBOX_GROUPS.offboardingApprovers.users;
  const nobodies = others.filter((p) => p.roles.length === 0 && !viaGroup.includes(p.key)).map((p) => p.key);
  const russian = others.filter((p) => localeOf(p.locale, 'en') === 'ru');
  const bot = PLAYGROUND_IDS.bot.name;
  return [
    '',
    t('sandbox.running'),
    '',
    `  ${t('sandbox.open', { url })}`,
    `  ${t('sandbox.where', { chat: PLAYGROUND_IDS.groupChat.name, team: PLAYGROUND_IDS.team.name, bot })}`,
    `    @${bot} offboard ws-042 Laptop stolen   ${t('sandbox.exOffboard')}`,
    `    @${bot} offboard fin-laptop-07          ${t('sandbox.exTwoMatch')}`,
    `    @${bot} offboard tag:lab-retired       ${t('sandbox.exBulk')}`,
    `    @${bot} status OFB-…                    ${t('sandbox.exStatus')}`,
    `    @${bot} pending                         ${t('sandbox.exPending')}`,
    `  ${t('sandbox.notPersonal')}`,
    '',
    `  ${t('sandbox.youAre', { me: me?.name ?? t('sandbox.currentUser') })}`,
    `    npm run act-as --${portArg} casey approve`,
    `    npm run act-as --${portArg} devon approve`,
    `  ${t('sandbox.actAs')}`,
    `  ${t('sandbox.whoApproves', {
      approvers: approvers.join(', '),
      viaGroup: viaGroup.join(', '),
      group: SANDBOX_GROUPS.offboardingApprovers.name,
    })}`,
    `  ${t('sandbox.whoNot', { nobodies: nobodies.join(', ') })}`,
    ...russian.map((p) => `  ${t('sandbox.russian', { name: p.name, port: portArg, key: p.key })}`),
    '',
    `  ${t('sandbox.stop')}`,
    '',
  ].join('\n');
}
