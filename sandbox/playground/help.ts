import { PLAYGROUND_IDS, playgroundPeople } from './config';
import { SANDBOX_GROUPS } from '../users';
import { DEFAULT_PLAYGROUND_PORT } from './paths';

/** The block `npm start` prints once everything is up: short enough to read at a glance. */
export function PLAYGROUND_HELP(url: string): string {
  const port = Number(new URL(url).port);
  const portArg = port === DEFAULT_PLAYGROUND_PORT ? '' : ` --port ${port}`;
  const [me, ...others] = playgroundPeople();
  const approvers = others.filter((p) => p.roles.includes('approver')).map((p) => p.key);
  // Members of the approver group qualify through the Graph stand-in, not a list.
  const viaGroup: readonly string[] = SANDBOX_GROUPS.offboardingApprovers.users;
  const nobodies = others.filter((p) => p.roles.length === 0 && !viaGroup.includes(p.key)).map((p) => p.key);
  const bot = PLAYGROUND_IDS.bot.name;
  return [
    '',
    `Offboarder sandbox is running: simulated Defender, nothing real is offboarded.`,
    '',
    `  Open Teams (Microsoft 365 Agents Playground): ${url}`,
    `  In "${PLAYGROUND_IDS.groupChat.name}" or a "${PLAYGROUND_IDS.team.name}" channel, @mention ${bot}:`,
    `    @${bot} offboard ws-042 Laptop stolen   a request card; add a comment, click "Request approval"`,
    `    @${bot} offboard fin-laptop-07          two devices match: the bot asks which one`,
    `    @${bot} status OFB-…                    the request id is on the card`,
    `    @${bot} pending                         what waits for you, with links to the cards`,
    `  (Not "Personal Chat": nobody else can see it, so nobody could approve.)`,
    '',
    `  You are ${me?.name ?? 'the current user'}. Two OTHER people must approve; play them from a second terminal:`,
    `    npm run act-as --${portArg} casey approve`,
    `    npm run act-as --${portArg} devon approve`,
    `  It clicks "Approve" on the latest request card as that person, through the Playground, as a click would.`,
    `  ${approvers.join(', ')} may approve; ${viaGroup.join(', ')} only through the Entra group "${SANDBOX_GROUPS.offboardingApprovers.name}";`,
    `  ${nobodies.join(', ')} may not. More: npm run act-as -- --help`,
    '',
    `  Stop: Ctrl-C (stops the bot, the simulator and the Playground).`,
    '',
  ].join('\n');
}
