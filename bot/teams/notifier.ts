/**
 * Proactive posts and card updates, outside any turn: the stored conversation
 * reference and `continueConversationAsync` with the bot's app id (Bot Framework's
 * proactive messaging). The reference of a channel message carries
 * `;messageid=<root>`, so everything lands in that message's thread.
 */
import {
  CardFactory,
  MessageFactory,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { OffboardRequest } from '../request/model';
import type { Clock, Scheduler } from '../clock';
import type { Logger } from '../log';
import type { NotifierPort } from '../offboarding/ports';
import { renderRequestCard } from './bulk-card-route';
import type { ApprovalView } from '../../cards/request-view';
import { withSendRetry } from './send-retry';
import type { Locale } from '../i18n';

export interface NotifierDeps {
  adapter: CloudAdapter;
  botAppId: string;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** Who may approve now, so cards show approvals that no longer count. */
  policy?: ApprovalView;
  /** Teams ids for the card's `refresh.userIds` (bot/teams/card-viewers.ts); absent: shared card. */
  userIds?: (r: OffboardRequest) => Promise<string[]>;
  /** The card's language when the requester's is unknown (BOT_DEFAULT_LOCALE); English when absent. */
  defaultLocale?: Locale;
}

export function createTeamsNotifier(deps: NotifierDeps): NotifierPort {
  const inConversation = <T>(r: OffboardRequest, fn: (ctx: TurnContext) => Promise<T>): Promise<T> =>
    withSendRetry(
      async () => {
        let result: T | undefined;
        let failure: { error: unknown } | undefined;
        // Errors must be caught inside the turn: botbuilder hands a throwing turn to the
        // app's onTurnError and resolves, so a failed send would look delivered.
        await deps.adapter.continueConversationAsync(
          deps.botAppId,
          r.conversation.reference as Partial<ConversationReference>,
          async (ctx) => {
            try {
              result = await fn(ctx);
            } catch (error) {
              failure = { error };
            }
          },
        );
        if (failure) throw failure.error;
        return result as T;
      },
      // botframework-connector already retries three times, honouring Retry-After; a
      // short outer layer keeps one delivery from blocking others for long. What still
      // fails is redelivered by the maintenance sweep.
      { scheduler: deps.scheduler, attempts: 2 },
    );

  const cardActivity = async (r: OffboardRequest) => {
    const userIds = (await deps.userIds?.(r)) ?? [];
    return MessageFactory.attachment(
      CardFactory.adaptiveCard(
        renderRequestCard(r, {
          now: deps.clock.now(),
          policy: deps.policy,
          userIds,
          // One card for the whole conversation: in the requester's language (docs/i18n.md).
          locale: r.requester.locale ?? deps.defaultLocale ?? 'en',
        }),
      ),
    );
  };

  return {
    async postCard(r) {
      const card = await cardActivity(r);
      const res = await inConversation(r, (ctx) => ctx.sendActivity(card));
      if (!res?.id) throw new Error('Teams did not return an activity id for the card');
      deps.logger.info({ requestId: r.id, activityId: res.id }, 'card posted');
      return res.id;
    },
    async updateCard(r) {
      const id = r.conversation.cardActivityId;
      if (!id) return;
      const card = await cardActivity(r);
      await inConversation(r, (ctx) => ctx.updateActivity({ ...card, id }));
    },
    async postInThread(r, text, options) {
      const people = [...(options?.mention ?? []), ...(options?.mentionRequester ? [r.requester] : [])];
      const seen = new Set<string>();
      const mentions = people
        .filter((p) => p.teamsId && !seen.has(p.teamsId) && seen.add(p.teamsId))
        .map((p) => {
          const at = `<at>${escapeXml(p.name)}</at>`;
          return {
            text: at,
            entity: { type: 'mention', text: at, mentioned: { id: p.teamsId!, name: p.name } },
          };
        });
      const prefix = mentions.map((m) => m.text).join(' ');
      const activity = MessageFactory.text(prefix ? `${prefix} ${text}` : text);
      if (mentions.length) activity.entities = mentions.map((m) => m.entity);
      await inConversation(r, (ctx) => ctx.sendActivity(activity));
    },
    async conversationMembers(r) {
      // A channel thread's reference carries `;messageid=`: the roster is the channel's.
      const conversationId = r.conversation.conversationId.split(';')[0]!;
      const members = await inConversation(r, (ctx) => {
        const client = ctx.turnState.get<ConnectorClient>(ctx.adapter.ConnectorClientKey);
        return client.conversations.getConversationMembers(conversationId);
      });
      return members
        .filter((m) => m.aadObjectId && m.id)
        .map((m) => ({
          aadObjectId: m.aadObjectId!.toLowerCase(),
          name: m.name || 'Unknown user',
          teamsId: m.id,
        }));
    },
  };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}
