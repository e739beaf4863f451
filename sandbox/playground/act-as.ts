/**
 * `npm run act-as -- <person> <action>`: one person at one keyboard plays the other
 * approvers. The Playground's page always acts as its current user (Alex), so this clicks
 * a button on the latest request card as someone else, through the Playground's invoke
 * endpoint: the same request a click in the page sends, the same activity the bot gets
 * from Teams. Nothing here touches the bot or its store. How the card is found: see
 * recording.ts.
 */
import { parseArgs } from 'node:util';
import { VERBS } from '../../cards/verbs';
import { PLAYGROUND_IDS, findPerson, playgroundPeople } from './config';
import { cardSummary, clickAs } from './invoke';
import { DEFAULT_PLAYGROUND_PORT, PROJECT_DIR, playgroundFiles } from './paths';
import { cardActions, readRecordedCards, type RecordedCard } from './recording';

const ACTIONS: Record<string, { verb: string; title: string }> = {
  approve: { verb: VERBS.approve, title: 'Approve' },
  reject: { verb: VERBS.reject, title: 'Reject' },
  cancel: { verb: VERBS.cancel, title: 'Cancel request' },
  submit: { verb: VERBS.submit, title: 'Request approval' },
  refresh: { verb: VERBS.refresh, title: 'Refresh status' },
};

function usage(): string {
  const people = playgroundPeople()
    .map((p) => `${p.key} (${p.roles.length ? p.roles.join(' + ') : 'no role'})`)
    .join(', ');
  return [
    'Usage: npm run act-as -- <person> <action> [options]',
    '',
    'Clicks a button on the latest request card in the Playground, as <person>.',
    `  person   ${people}`,
    `  action   ${Object.keys(ACTIONS).join(', ')}`,
    '  --request OFB-…   the card of this request (default: the latest request card)',
    '  --reason "…"      reason, for reject',
    '  --comment "…"     comment, for submit',
    `  --port N          the Playground's port (default: $PLAYGROUND_PORT or ${DEFAULT_PLAYGROUND_PORT})`,
    '',
    'Example: npm run act-as -- casey approve',
  ].join('\n');
}

const conversationName = (id: string): string => {
  const base = id.split(';')[0];
  if (base === PLAYGROUND_IDS.groupChat.id) return `"${PLAYGROUND_IDS.groupChat.name}"`;
  if (base === PLAYGROUND_IDS.team.id) return `"${PLAYGROUND_IDS.team.name} - General"`;
  if (base === PLAYGROUND_IDS.channel.id)
    return `"${PLAYGROUND_IDS.team.name} - ${PLAYGROUND_IDS.channel.name}"`;
  if (base === PLAYGROUND_IDS.personalChat) return '"Personal Chat"';
  return id;
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      request: { type: 'string' },
      reason: { type: 'string' },
      comment: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (console.log(usage()), 0);
  const [who, what] = positionals;
  const person = who ? findPerson(who) : undefined;
  const action = what ? ACTIONS[what.toLowerCase()] : undefined;
  if (!person || !action || positionals.length !== 2) {
    console.error(`${!person && who ? `Unknown person "${who}".\n` : ''}${usage()}`);
    return 2;
  }
  // A command-line entry point, like index.ts: the one other place that reads the environment.
  const port = Number(values.port ?? process.env.PLAYGROUND_PORT ?? DEFAULT_PLAYGROUND_PORT);
  const url = `http://127.0.0.1:${port}`;
  await fetch(`${url}/_internal/v1/config`, { signal: AbortSignal.timeout(3000) }).catch(() => {
    throw new Error(
      `No Playground answers on ${url}. Is \`npm start\` running (with PLAYGROUND_PORT=${port})?`,
    );
  });

  const cards = readRecordedCards(playgroundFiles(PROJECT_DIR, port).recording);
  const wanted = values.request?.trim().toUpperCase();
  const target: RecordedCard | undefined = wanted
    ? cards.filter((c) => c.requestId.toUpperCase() === wanted).pop()
    : cards.pop();
  if (!target) {
    console.error(
      wanted
        ? `No card for request ${wanted} in this Playground session.`
        : 'No request card yet. In the Playground, send "@Offboarder offboard ws-042 <reason>" first.',
    );
    return 1;
  }
  if (!cardActions(target.card).some((a) => a.verb === action.verb))
    console.warn(
      `Note: the card shows no "${action.title}" button now; sending the click anyway (the bot decides).`,
    );

  const data: Record<string, unknown> = { requestId: target.requestId };
  if (values.reason !== undefined) data.rejectReason = values.reason;
  if (values.comment !== undefined) data.comment = values.comment;
  console.log(
    `${person.name} clicks "${action.title}" on ${target.requestId} in ${conversationName(target.conversationId)}…`,
  );
  const answer = await clickAs(url, {
    fromId: person.id,
    conversationId: target.conversationId,
    replyToId: target.messageId,
    verb: action.verb,
    title: action.title,
    data,
  }).catch((e: Error) => {
    if (/not.*member|user/i.test(e.message) && target.conversationId === PLAYGROUND_IDS.personalChat)
      throw new Error(
        `${person.name} is not in your personal chat: open requests in the group chat or a channel.`,
      );
    throw e;
  });
  if (answer.kind === 'card') console.log(`The bot updated the card: ${cardSummary(answer.card)}`);
  else if (answer.kind === 'message') console.log(`The bot answered ${person.givenName}: ${answer.text}`);
  else console.log(`The bot answered: ${JSON.stringify(answer.body)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
