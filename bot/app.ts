import { ActivityTypes, MemoryStorage, type TurnContext } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, type TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { Offboarding } from './offboarding/service';
import { VERBS } from '../cards/verbs';
import { onCardAction, onMessage } from './teams/handlers';
import { HELP_TEXT } from './commands';

/**
 * The route table (architecture.md, habit 2): typed messages and card verbs map to
 * thin handlers. `createApp` builds nothing else and reads no environment: index.ts
 * passes real parts, tests pass parts wired to in-process servers.
 */
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
    // Turn state is not used: requests live in their own store (architecture.md, habit 4).
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
  app.adaptiveCards.actionExecute(Object.values(VERBS), async (ctx, _state, data) => {
    const result = await onCardAction(handlerDeps, ctx, (data ?? {}) as Record<string, unknown>);
    return result as string;
  });
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
