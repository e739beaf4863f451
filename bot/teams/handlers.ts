/**
 * Thin handlers: translate the Teams activity into a use-case call and the outcome
 * back into a reply. No rules live here (docs/architecture.md, habit 2).
 */
import { CardFactory, MessageFactory, TurnContext, type Activity } from 'botbuilder';
import { parseCommand, isDeviceId, type MachineRef } from '../commands';
import { failedListText } from '../offboarding/bulk-notices';
import { helpText } from '../commands/help';
import { translator, type Translator } from '../i18n';
import type { CardAnswer, HandlerDeps } from './handler-deps';
import type { ConversationLink, OffboardRequest, Person } from '../request/model';
import type { UserAction } from '../request/policy';
import type { OpenOutcome } from '../offboarding/open';
import { cardPolicy, helpRoles, mayApproveCached } from '../offboarding/rules';
import { renderHelpCard } from '../../cards/help-card';
import { renderRequestCard } from './bulk-card-route';
import { onBulkCommand } from './bulk-open';
import { renderChooseDeviceCard } from '../../cards/choose-device-card';
import { VERBS } from '../../cards/verbs';
import { answerNowOrLater } from './answer-later';
import { activityLocale, actorOf, botMentionTexts, tenantOf } from './identity';
import { chatErrorText } from './chat-errors';
import type { CardViewer } from '../../cards/request-view';
import { cancelText, escapeMd, openOutcomeText, pendingText, statusText } from './replies';
import { invalidCommandText, refusalText } from './localized-errors';

export type { CardAnswer, HandlerDeps } from './handler-deps';

/** Replies speak the language of the activity they answer (docs/i18n.md). */
const replyTranslator = (deps: HandlerDeps, a: Partial<Activity>): Translator =>
  translator(activityLocale(a, deps.defaultLocale ?? 'en'));

/**
 * The clicker's own view of the card (Universal Actions user-specific views) when the
 * card lists viewers; else the shared card. The requester sees Cancel, approvers who
 * have not yet approved Approve/Reject, anyone else no buttons.
 */
async function viewFor(deps: HandlerDeps, r: OffboardRequest, actor: Person, t: Translator) {
  const userIds = (await deps.viewers?.userIds(r)) ?? [];
  // A shared card is everyone's: the requester's language; one's own view: the clicker's.
  if (!userIds.length)
    return { ...cardOptions(deps), locale: r.requester.locale ?? deps.defaultLocale ?? 'en' };
  const viewer: CardViewer =
    actor.aadObjectId === r.requester.aadObjectId
      ? 'requester'
      : !r.approvals.some((a) => a.by.aadObjectId === actor.aadObjectId) &&
          (await mayApproveCached(deps.offboarding.policy, r, actor.aadObjectId))
        ? 'approver'
        : 'other';
  // The requester's view says who can still approve (rule order, conversation members).
  const approverNames = viewer === 'requester' ? await deps.viewers?.stillApproverNames(r) : undefined;
  return { ...cardOptions(deps), viewer, userIds, locale: t.locale, approverNames };
}

/** Cards rendered for a clicker show approvals against who may approve now. */
const cardOptions = (deps: HandlerDeps) => ({
  now: deps.clock.now(),
  policy: cardPolicy(deps.offboarding.policy),
});

export async function onMessage(deps: HandlerDeps, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  const t = replyTranslator(deps, a);
  const cmd = parseCommand({ text: a.text ?? '', mentionTexts: botMentionTexts(a) });
  try {
    switch (cmd.kind) {
      case 'help': {
        // The commands this person may use; without an identity, all of them as text.
        const id = a.from?.aadObjectId;
        if (!id) return void (await ctx.sendActivity(helpText(t)));
        const roles = await helpRoles(deps.offboarding.policy, id);
        await ctx.sendActivity(
          MessageFactory.attachment(
            CardFactory.adaptiveCard(renderHelpCard(roles, { locale: t.locale })),
            t('chat.helpIntro'),
          ),
        );
        return;
      }
      case 'unknown': {
        const hint = cmd.suggestion ? ` ${t('chat.didYouMean', { suggestion: cmd.suggestion })}` : '';
        await ctx.sendActivity(
          `${t('chat.unknownCommand', { word: escapeMd(cmd.word) })}${hint}\n\n${helpText(t)}`,
        );
        return;
      }
      case 'invalid':
        await ctx.sendActivity(invalidCommandText(t, cmd));
        return;
      case 'status': {
        const r = await deps.offboarding.status({
          requestId: cmd.requestId,
          actorId: a.from?.aadObjectId,
          tenantId: tenantOf(a),
          conversationId: a.conversation.id,
        });
        // The same read check as `status`; `failed` lists every device that did not end well.
        if (!r) await ctx.sendActivity(t('chat.statusUnknown', { id: cmd.requestId }));
        else await ctx.sendActivity(cmd.failed ? failedListText(r, t) : statusText(t, r));
        return;
      }
      // Bulk forms (lists, selectors): bot/teams/bulk-open.ts.
      case 'offboard_bulk':
        await onBulkCommand(deps, ctx, cmd);
        return;
      case 'offboard':
        await openFromCommand(deps, ctx, t, cmd.machine, cmd.comment);
        return;
      case 'pending': {
        const actor = actorOf(a);
        if (!actor) return void (await ctx.sendActivity(t('chat.noIdentity')));
        const found = await deps.offboarding.pending({
          actor,
          tenantId: tenantOf(a),
          conversationId: a.conversation.id,
          personal: a.conversation.conversationType === 'personal',
        });
        await ctx.sendActivity(
          'refused' in found
            ? refusalText(t, found.refused)
            : pendingText(t, found.items, found.more, deps.clock.now()),
        );
        return;
      }
      case 'cancel': {
        const actor = actorOf(a);
        if (!actor) return void (await ctx.sendActivity(t('chat.noIdentity')));
        const outcome = await deps.offboarding.cancel({
          requestId: cmd.requestId,
          actor,
          tenantId: tenantOf(a),
          conversationId: a.conversation.id,
        });
        await ctx.sendActivity(cancelText(t, outcome, cmd.requestId));
        return;
      }
    }
  } catch (e) {
    await ctx.sendActivity(chatErrorText(e, deps.logger, { activityId: a.id, command: cmd.kind }, t));
  }
}

async function openFromCommand(
  deps: HandlerDeps,
  ctx: TurnContext,
  t: Translator,
  machine: MachineRef,
  comment?: string,
) {
  const a = ctx.activity;
  const actor = actorOf(a);
  if (!actor) {
    await ctx.sendActivity(t('chat.noIdentity'));
    return;
  }
  await answerNowOrLater(ctx, {
    start: (onQueued) =>
      deps.offboarding.open({
        actor,
        tenantId: tenantOf(a),
        conversation: conversationLink(a, a.id),
        machine,
        comment,
        onQueued: (info) => onQueued(info.estimatedStartMs),
      }),
    answer: (c, outcome) => answerOpen(deps, c, t, outcome),
    failed: (c, e) =>
      c.sendActivity(chatErrorText(e, deps.logger, { activityId: a.id, command: 'offboard' }, t)),
    queuedText: (time) => t('chat.queued', { device: escapeMd(machineName(machine)), time }),
    logger: deps.logger,
    what: 'queued offboard',
  });
}

async function answerOpen(
  deps: HandlerDeps,
  ctx: TurnContext,
  t: Translator,
  outcome: OpenOutcome,
): Promise<void> {
  const a = ctx.activity;
  switch (outcome.kind) {
    case 'created':
      // The card was posted by the use case (through the notifier), into this thread.
      if (a.conversation.conversationType === 'personal')
        await ctx.sendActivity(t('chat.personalChat', { id: outcome.request.id }));
      return;
    case 'ambiguous': {
      const card = renderChooseDeviceCard(outcome.query, outcome.machines, {
        now: deps.clock.now(),
        locale: t.locale,
      });
      await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      return;
    }
    default:
      await ctx.sendActivity(openOutcomeText(t, outcome));
  }
}

const machineName = (m: MachineRef) => (m.by === 'id' ? m.id : m.name);
/** "14:05": the queue's estimate is to the minute at best. */

/** What a card route answers: a card (accepted, for the clicker) or a message to the clicker only (refused). */

/**
 * Runs a card route with the clicker's identity, turning errors into a chat message.
 * Identity always comes from the activity, never from card data.
 */
async function asActor(
  deps: HandlerDeps,
  ctx: TurnContext,
  verb: string,
  fn: (actor: Person, t: Translator) => Promise<CardAnswer>,
): Promise<CardAnswer> {
  const t = replyTranslator(deps, ctx.activity);
  const actor = actorOf(ctx.activity);
  if (!actor) return t('chat.noIdentity');
  try {
    return await fn(actor, t);
  } catch (e) {
    return chatErrorText(e, deps.logger, { activityId: ctx.activity.id, verb }, t);
  }
}

/** Submit, approve, reject, cancel: one use-case call each, the policy decides. */
export function onRequestAction(
  deps: HandlerDeps,
  ctx: TurnContext,
  verb: string,
  data: Record<string, unknown>,
  action: UserAction,
): Promise<CardAnswer> {
  return asActor(deps, ctx, verb, async (actor, t) => {
    const a = ctx.activity;
    const outcome = await deps.offboarding.act({
      requestId: data.requestId,
      action,
      actor,
      tenantId: tenantOf(a),
      conversationId: a.conversation.id,
    });
    if (!outcome.ok) return refusalText(t, outcome);
    return renderRequestCard(outcome.request, await viewFor(deps, outcome.request, actor, t));
  });
}

/** The card's refresh: the request as stored now (no state change). */
export function onRefresh(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<CardAnswer> {
  return asActor(deps, ctx, VERBS.refresh, async (actor, t) => {
    const a = ctx.activity;
    const r = await deps.offboarding.status({
      requestId: String(data.requestId ?? ''),
      actorId: actor.aadObjectId,
      tenantId: tenantOf(a),
      conversationId: a.conversation.id,
    });
    return r ? renderRequestCard(r, await viewFor(deps, r, actor, t)) : t('chat.unknownCard');
  });
}

/** "Offboard this one" on the several-matches card: re-resolved by id, re-checked like a typed command. */
export function onChooseDevice(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<CardAnswer> {
  return asActor(deps, ctx, VERBS.choose, async (actor, t) => {
    const id = typeof data.machineId === 'string' ? data.machineId.toLowerCase() : '';
    if (!isDeviceId(id)) return t('chat.invalidDeviceCard');
    const a = ctx.activity;
    const outcome = await deps.offboarding.open({
      actor,
      tenantId: tenantOf(a),
      conversation: conversationLink(a, a.replyToId),
      machine: { by: 'id', id },
    });
    if (outcome.kind === 'created') return t('chat.requestOpened', { id: outcome.request.id });
    if (outcome.kind === 'ambiguous') return t('chat.stillAmbiguous');
    return openOutcomeText(t, outcome);
  });
}

/** Where a request's card and replies go: the conversation, and the thread of `threadRootId`. */
function conversationLink(a: Activity, threadRootId: string | undefined): ConversationLink {
  return {
    conversationId: a.conversation.id,
    reference: TurnContext.getConversationReference(a) as Record<string, unknown>,
    threadRootId,
  };
}
