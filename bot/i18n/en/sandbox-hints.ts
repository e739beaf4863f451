/** The lines `npm start` prints once the sandbox is up (sandbox/playground/help.ts); area `sandbox`. */
export const sandbox = {
  'sandbox.running': 'Offboarder sandbox is running: simulated Defender, nothing real is offboarded.',
  'sandbox.open': 'Open Teams (Microsoft 365 Agents Playground): {url}',
  'sandbox.where': 'In "{chat}" or a "{team}" channel, @mention {bot}:',
  'sandbox.exOffboard': 'a request card; add a comment, click "Request approval"',
  'sandbox.exTwoMatch': 'two devices match: the bot asks which one',
  'sandbox.exBulk': 'a clean-up: 120 lab devices under one approval (confirm the count first)',
  'sandbox.exStatus': 'the request id is on the card',
  'sandbox.exPending': 'what waits for you, with links to the cards',
  'sandbox.notPersonal': '(Not "Personal Chat": nobody else can see it, so nobody could approve.)',
  'sandbox.youAre': 'You are {me}. Two OTHER people must approve; play them from a second terminal:',
  'sandbox.currentUser': 'the current user',
  'sandbox.actAs':
    'It clicks "Approve" on the latest request card as that person, through the Playground, as a click would.',
  'sandbox.whoApproves': '{approvers} may approve; {viaGroup} only through the Entra group "{group}";',
  'sandbox.whoNot': '{nobodies} may not. More: npm run act-as -- --help',
  'sandbox.russian': '{name} sees the bot in Russian: npm run act-as --{port} {key} approve',
  'sandbox.stop': 'Stop: Ctrl-C (stops the bot, the simulator and the Playground).',
} as const;
