/**
 * Dispatches a turn to the route that matches it: messages, one route per
 * Action.Execute verb, members added, any other invoke. It replaces Teams AI's
 * `Application`, of which the bot used only this routing: loading that class loads the
 * whole library (planners, tokenizer tables, botbuilder-dialogs, ~55 MiB and ~1 s of
 * start-up), and each of its turns loaded and saved an unused turn state and started a
 * typing timer that 1.7.4 does not let us turn off (bench/RESULTS.md, "Footprint").
 * The invoke answer is Teams AI's for REPLACE_FOR_INTERACTOR: a card for the clicker,
 * or a message to the clicker only.
 */
import {
  ActivityTypes,
  CardFactory,
  INVOKE_RESPONSE_KEY,
  MessageFactory,
  type CloudAdapter,
  type TurnContext,
} from 'botbuilder';

/** What a card route answers: a card (for the clicker) or a message to the clicker only. */
export type ActionAnswer = object | string;

type Handler = (ctx: TurnContext) => Promise<void>;
type ActionHandler = (ctx: TurnContext, data: Record<string, unknown>) => Promise<ActionAnswer>;

export const ACTION_INVOKE_NAME = 'adaptiveCard/action';

const ACTIVITY_MESSAGE = 'application/vnd.microsoft.activity.message';
const CARD_ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

export class TurnRouter {
  private onMessage?: Handler;
  private onMembersAdded?: Handler;
  private onOtherInvoke?: Handler;
  private readonly verbs = new Map<string, ActionHandler>();

  constructor(private readonly adapter: CloudAdapter) {}

  message(handler: Handler): this {
    this.onMessage = handler;
    return this;
  }

  /** One route per Action.Execute verb; a verb can be routed once. */
  actionExecute(verb: string, handler: ActionHandler): this {
    if (this.verbs.has(verb)) throw new Error(`verb ${verb} is routed twice`);
    this.verbs.set(verb, handler);
    return this;
  }

  membersAdded(handler: Handler): this {
    this.onMembersAdded = handler;
    return this;
  }

  /** Invokes no verb route took (a malformed or forged card action). */
  otherInvoke(handler: Handler): this {
    this.onOtherInvoke = handler;
    return this;
  }

  /** Errors a route throws go to the adapter's onTurnError (botbuilder then answers 200). */
  error(handler: (ctx: TurnContext, err: Error) => Promise<void>): this {
    this.adapter.onTurnError = handler;
    return this;
  }

  /** True when a route took the activity. */
  async run(ctx: TurnContext): Promise<boolean> {
    const a = ctx.activity;
    switch (a.type) {
      case ActivityTypes.Message:
        if (!this.onMessage) return false;
        await this.onMessage(ctx);
        return true;
      case ActivityTypes.Invoke: {
        const action =
          a.name === ACTION_INVOKE_NAME ? (a.value as ExecuteValue | undefined)?.action : undefined;
        const route =
          action?.type === 'Action.Execute' && typeof action.verb === 'string'
            ? this.verbs.get(action.verb)
            : undefined;
        if (route) {
          const answer = await route(ctx, (action?.data ?? {}) as Record<string, unknown>);
          if (!ctx.turnState.get(INVOKE_RESPONSE_KEY)) await answerInvoke(ctx, answer);
          return true;
        }
        if (!this.onOtherInvoke) return false;
        await this.onOtherInvoke(ctx);
        return true;
      }
      case ActivityTypes.ConversationUpdate:
        if (!this.onMembersAdded || !Array.isArray(a.membersAdded) || a.membersAdded.length === 0)
          return false;
        await this.onMembersAdded(ctx);
        return true;
      default:
        return false;
    }
  }
}

interface ExecuteValue {
  action?: { type?: unknown; verb?: unknown; data?: unknown };
}

/** A card with `refresh` would not be refreshed for the others by an interactor-only
 * answer, so (as Teams AI does) it replaces the card for everyone first; not a
 * user-specific view (`refresh.userIds`): the notifier updates the shared card and Teams
 * asks each listed viewer for their own. */
async function answerInvoke(ctx: TurnContext, answer: ActionAnswer): Promise<void> {
  if (typeof answer === 'string') {
    await sendInvokeResponse(ctx, { statusCode: 200, type: ACTIVITY_MESSAGE, value: answer });
    return;
  }
  const refresh = (answer as { refresh?: { userIds?: unknown[] } }).refresh;
  if (refresh && !refresh.userIds?.length) {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(answer));
    activity.id = ctx.activity.replyToId;
    await ctx.updateActivity(activity);
  }
  await sendInvokeResponse(ctx, { statusCode: 200, type: CARD_ADAPTIVE, value: answer });
}

function sendInvokeResponse(ctx: TurnContext, body: object) {
  return ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
