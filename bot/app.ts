/**
 * The route table (docs/architecture.md, habit 2): typed messages and card verbs map to
 * thin handlers. `createApp` builds nothing else and reads no environment: index.ts
 * passes real parts, tests pass parts wired to in-process servers. Routing is our own
 * small TurnRouter (bot/teams/turn-router.ts says why it is not Teams AI's Application).
 */
import { ActivityTypes, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { Offboarding } from './offboarding/service';
import { INPUTS, VERBS } from '../cards/verbs';
import { BULK_VERBS } from '../cards/bulk-verbs';
import { onConfirmBulk } from './teams/bulk-open';
import type { UserAction } from './request/policy';
import {
  onChooseDevice,
  onMessage,
  onRefresh,
  onRequestAction,
  type CardAnswer,
  type HandlerDeps,
} from './teams/handlers';
import { reuseConnectorClients } from './teams/connector-clients';
import { TurnRouter } from './teams/turn-router';
import type { CardViewers } from './teams/card-viewers';
import { helpText } from './commands/help';
import { translator, type Locale } from './i18n';
import { activityLocale } from './teams/identity';

export interface AppDeps {
  adapter: CloudAdapter;
  botAppId: string;
  offboarding: Offboarding;
  clock: Clock;
  logger: Logger;
  /** Who gets their own card view (`refresh.userIds`); absent: the shared card only. */
  viewers?: CardViewers;
  /** The language when an activity names none (BOT_DEFAULT_LOCALE); English when absent. */
  defaultLocale?: Locale;
  /** The sandbox with the Playground only: a person's Teams language, put on their activities. */
  personLocale?: (aadObjectId: string) => string | undefined;
}

/** What the HTTP edge runs each authenticated turn through. */
export interface BotApp {
  /** True when a route took the activity. */
  run(ctx: TurnContext): Promise<boolean>;
}

export function createApp(deps: AppDeps): BotApp {
  // No turn state, no typing indicator, no mention stripping (the parser strips the
  // bot's mention itself, using the mention entities): requests live in their own store
  // (docs/architecture.md, habit 4).
  const app = new TurnRouter(deps.adapter);
  // For the turns routed here and for the notifier's proactive sends alike.
  reuseConnectorClients(deps.adapter);
  const handlerDeps: HandlerDeps = {
    offboarding: deps.offboarding,
    clock: deps.clock,
    logger: deps.logger,
    viewers: deps.viewers,
    defaultLocale: deps.defaultLocale,
  };
  const t = (ctx: TurnContext) => translator(activityLocale(ctx.activity, deps.defaultLocale ?? 'en'));
  app.message((ctx) => onMessage(handlerDeps, ctx));
  // One route per card verb. Card data is only ever read as the typed inputs below.
  // Other members' cards are updated by the notifier (updateActivity), with retries
  // and a delivery record; the invoke answer is for the clicker.
  type Data = Record<string, unknown>;
  const card = (verb: string, fn: (d: HandlerDeps, ctx: TurnContext, data: Data) => Promise<CardAnswer>) =>
    app.actionExecute(verb, (ctx, data) => fn(handlerDeps, ctx, data));
  const act = (verb: string, action: (data: Data) => UserAction) =>
    card(verb, (d, ctx, data) => onRequestAction(d, ctx, verb, data, action(data)));
  act(VERBS.submit, (data) => ({ kind: 'submit', comment: data[INPUTS.comment] }));
  act(VERBS.approve, () => ({ kind: 'approve' }));
  act(VERBS.reject, (data) => ({ kind: 'reject', reason: data[INPUTS.rejectReason] }));
  act(VERBS.cancel, () => ({ kind: 'cancel' }));
  card(VERBS.refresh, onRefresh);
  card(VERBS.choose, onChooseDevice);
  card(BULK_VERBS.confirm, onConfirmBulk);
  app.membersAdded(async (ctx) => {
    const botId = ctx.activity.recipient?.id;
    if (ctx.activity.membersAdded?.some((m) => m.id === botId)) await ctx.sendActivity(helpText(t(ctx)));
  });
  // Any other invoke (a malformed or forged card action) gets a clear refusal, not a 501.
  app.otherInvoke(async (ctx: TurnContext) => {
    await ctx.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: t(ctx)('chat.unrecognisedAction'),
        },
      },
    });
  });
  app.error(async (ctx, err) => {
    deps.logger.error({ err, activityType: ctx.activity?.type }, 'unhandled error in turn');
  });
  const localeFor = deps.personLocale;
  if (!localeFor) return app;
  return {
    run(ctx) {
      const locale = localeFor(ctx.activity.from?.aadObjectId ?? '');
      if (locale) ctx.activity.locale = locale;
      return app.run(ctx);
    },
  };
}
