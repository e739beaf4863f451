/**
 * The route table (docs/architecture.md, habit 2): typed messages and card verbs map to
 * thin handlers. `createApp` builds nothing else and reads no environment: index.ts
 * passes real parts, tests pass parts wired to in-process servers.
 */
import { ActivityTypes, MemoryStorage, type TurnContext } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, type TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { Offboarding } from './offboarding/service';
import { INPUTS, VERBS } from '../cards/verbs';
import type { UserAction } from './request/policy';
import {
  onChooseDevice,
  onMessage,
  onRefresh,
  onRequestAction,
  type CardAnswer,
  type HandlerDeps,
} from './teams/handlers';
import { HELP_TEXT } from './commands';

export interface AppDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  offboarding: Offboarding;
  clock: Clock;
  logger: Logger;
}

export function createApp(deps: AppDeps): Application {
  const app = new Application({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    // Turn state is not used: requests live in their own store (docs/architecture.md, habit 4).
    storage: new MemoryStorage(),
    // The parser strips the bot's mention itself, using the mention entities.
    removeRecipientMention: false,
    // The Playground has no typing indicator, and invokes must answer fast.
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: {
      // Other members' cards are updated by the notifier (updateActivity), with
      // retries and a delivery record; the invoke answer is for the clicker.
      actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR,
    },
  });

  const handlerDeps = { offboarding: deps.offboarding, clock: deps.clock, logger: deps.logger };
  app.activity(ActivityTypes.Message, (ctx) => onMessage(handlerDeps, ctx));
  // One route per card verb. Card data is only ever read as the typed inputs below.
  type Data = Record<string, unknown>;
  const card = (verb: string, fn: (d: HandlerDeps, ctx: TurnContext, data: Data) => Promise<CardAnswer>) =>
    app.adaptiveCards.actionExecute(
      verb,
      async (ctx, _state, data) => (await fn(handlerDeps, ctx, (data ?? {}) as Data)) as string,
    );
  const act = (verb: string, action: (data: Data) => UserAction) =>
    card(verb, (d, ctx, data) => onRequestAction(d, ctx, verb, data, action(data)));
  act(VERBS.submit, (data) => ({ kind: 'submit', comment: data[INPUTS.comment] }));
  act(VERBS.approve, () => ({ kind: 'approve' }));
  act(VERBS.reject, (data) => ({ kind: 'reject', reason: data[INPUTS.rejectReason] }));
  act(VERBS.cancel, () => ({ kind: 'cancel' }));
  card(VERBS.refresh, onRefresh);
  card(VERBS.choose, onChooseDevice);
  app.conversationUpdate('membersAdded', async (ctx) => {
    const botId = ctx.activity.recipient?.id;
    if (ctx.activity.membersAdded?.some((m) => m.id === botId)) await ctx.sendActivity(HELP_TEXT);
  });
  // Any other invoke (a malformed or forged card action) gets a clear refusal, not a 501.
  app.activity(ActivityTypes.Invoke, async (ctx: TurnContext) => {
    await ctx.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: 'This action is not recognised.',
        },
      },
    });
  });
  app.error(async (ctx, err) => {
    deps.logger.error({ err, activityType: ctx.activity?.type }, 'unhandled error in turn');
  });
  return app;
}
