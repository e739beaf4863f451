/**
 * Thin handlers: translate the Teams activity into a use-case call and the outcome
 * back into a reply. No rules live here (docs/architecture.md, habit 2).
 */
import { CardFactory, MessageFactory, TurnContext, type Activity, type CloudAdapter } from 'botbuilder';
import type { ClaimsIdentity } from 'botframework-connector';
import { parseCommand, HELP_TEXT, isDeviceId, type MachineRef } from '../commands';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ConversationLink, OffboardRequest, Person } from '../request/model';
import type { UserAction } from '../request/policy';
import type { Offboarding } from '../offboarding/service';
import type { OpenOutcome } from '../offboarding/open';
import { cardPolicy, helpRoles, mayApproveCached } from '../offboarding/rules';
import { renderHelpCard } from '../../cards/help-card';
import { renderRequestCard } from '../../cards/request-card';
import { renderChooseDeviceCard } from '../../cards/choose-device-card';
import { VERBS } from '../../cards/verbs';
import { actorOf, botMentionTexts, tenantOf } from './identity';
import { chatErrorText } from './chat-errors';
import type { CardViewers } from './card-viewers';
import type { CardViewer } from '../../cards/request-view';
import { cancelText, escapeMd, openOutcomeText, pendingText, statusText } from './replies';

export interface HandlerDeps {
  offboarding: Offboarding;
  clock: Clock;
  logger: Logger;
  viewers?: CardViewers;
}

/**
 * The clicker's own view of the card (Universal Actions user-specific views) when the
 * card lists viewers; else the shared card. The requester sees Cancel, approvers who
 * have not yet approved Approve/Reject, anyone else no buttons.
 */
async function viewFor(deps: HandlerDeps, r: OffboardRequest, actor: Person) {
  const userIds = (await deps.viewers?.userIds(r)) ?? [];
  if (!userIds.length) return cardOptions(deps);
  const viewer: CardViewer =
    actor.aadObjectId === r.requester.aadObjectId
      ? 'requester'
      : !r.approvals.some((a) => a.by.aadObjectId === actor.aadObjectId) &&
          (await mayApproveCached(deps.offboarding.policy, r, actor.aadObjectId))
        ? 'approver'
        : 'other';
  return { ...cardOptions(deps), viewer, userIds };
}

/** Cards rendered for a clicker show approvals against who may approve now. */
const cardOptions = (deps: HandlerDeps) => ({
  now: deps.clock.now(),
  policy: cardPolicy(deps.offboarding.policy),
});

const NO_IDENTITY =
  'I could not tell who you are (no Entra identity on the message), so I cannot act on this.';

export async function onMessage(deps: HandlerDeps, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  const cmd = parseCommand({ text: a.text ?? '', mentionTexts: botMentionTexts(a) });
  try {
    switch (cmd.kind) {
      case 'help': {
        // The commands this person may use; without an identity, all of them as text.
        const id = a.from?.aadObjectId;
        if (!id) return void (await ctx.sendActivity(HELP_TEXT));
        const roles = await helpRoles(deps.offboarding.policy, id);
        await ctx.sendActivity(
          MessageFactory.attachment(
            CardFactory.adaptiveCard(renderHelpCard(roles)),
            'Offboarder offboards devices from Defender behind a two-person approval. What you can do:',
          ),
        );
        return;
      }
      case 'unknown': {
        const hint = cmd.suggestion ? ` Did you mean \`${cmd.suggestion}\`?` : '';
        await ctx.sendActivity(`I don't know the command "${escapeMd(cmd.word)}".${hint}\n\n${HELP_TEXT}`);
        return;
      }
      case 'invalid':
        await ctx.sendActivity(cmd.message);
        return;
      case 'status': {
        const r = await deps.offboarding.status({
          requestId: cmd.requestId,
          actorId: a.from?.aadObjectId,
          tenantId: tenantOf(a),
          conversationId: a.conversation.id,
        });
        await ctx.sendActivity(
          r ? statusText(r) : `I know no request ${cmd.requestId} that you can see here.`,
        );
        return;
      }
      case 'offboard':
        await openFromCommand(deps, ctx, cmd.machine, cmd.comment);
        return;
      case 'pending': {
        const actor = actorOf(a);
        if (!actor) return void (await ctx.sendActivity(NO_IDENTITY));
        const found = await deps.offboarding.pending({
          actor,
          tenantId: tenantOf(a),
          conversationId: a.conversation.id,
          personal: a.conversation.conversationType === 'personal',
        });
        await ctx.sendActivity(
          'refused' in found ? found.refused : pendingText(found.items, found.more, deps.clock.now()),
        );
        return;
      }
      case 'cancel': {
        const actor = actorOf(a);
        if (!actor) return void (await ctx.sendActivity(NO_IDENTITY));
        const outcome = await deps.offboarding.cancel({
          requestId: cmd.requestId,
          actor,
          tenantId: tenantOf(a),
          conversationId: a.conversation.id,
        });
        await ctx.sendActivity(cancelText(outcome, cmd.requestId));
        return;
      }
    }
  } catch (e) {
    await ctx.sendActivity(chatErrorText(e, deps.logger, { activityId: a.id, command: cmd.kind }));
  }
}

async function openFromCommand(deps: HandlerDeps, ctx: TurnContext, machine: MachineRef, comment?: string) {
  const a = ctx.activity;
  const actor = actorOf(a);
  if (!actor) {
    await ctx.sendActivity(NO_IDENTITY);
    return;
  }
  let queued: (startMs: number) => void = () => undefined;
  const held = new Promise<number>((resolve) => (queued = resolve));
  const opening = deps.offboarding.open({
    actor,
    tenantId: tenantOf(a),
    conversation: conversationLink(a, a.id),
    machine,
    comment,
    onQueued: (info) => queued(info.estimatedStartMs),
  });
  const first = await Promise.race([opening.then((outcome) => ({ outcome })), held.then((at) => ({ at }))]);
  if ('outcome' in first) return answerOpen(deps, ctx, first.outcome);
  // Defender's rate limit holds the look-up: say when it runs and end this turn (Teams
  // wants an answer within 15 s); the outcome follows in the thread, proactively.
  await ctx.sendActivity(
    `Defender's API limit is reached: I'll look up ${escapeMd(machineName(machine))} at about ${utcTime(first.at)} UTC.`,
  );
  const adapter = ctx.adapter as CloudAdapter;
  const identity = ctx.turnState.get<ClaimsIdentity>(adapter.BotIdentityKey);
  const reference = TurnContext.getConversationReference(a);
  const later = (fn: (c: TurnContext) => Promise<void>) =>
    adapter.continueConversationAsync(identity, reference, fn);
  void opening
    .then(
      (outcome) => later((c) => answerOpen(deps, c, outcome)),
      (e: unknown) =>
        later(async (c) => {
          await c.sendActivity(chatErrorText(e, deps.logger, { activityId: a.id, command: 'offboard' }));
        }),
    )
    .catch((err: unknown) =>
      deps.logger.warn({ err, activityId: a.id }, 'queued offboard: answer not delivered'),
    );
}

async function answerOpen(deps: HandlerDeps, ctx: TurnContext, outcome: OpenOutcome): Promise<void> {
  const a = ctx.activity;
  switch (outcome.kind) {
    case 'created':
      // The card was posted by the use case (through the notifier), into this thread.
      if (a.conversation.conversationType === 'personal')
        await ctx.sendActivity(
          `Approvers cannot see this personal chat. To collect approvals, cancel request ${outcome.request.id} and ` +
            `run the command in a channel or group chat where the approvers are.`,
        );
      return;
    case 'ambiguous': {
      const card = renderChooseDeviceCard(outcome.query, outcome.machines, { now: deps.clock.now() });
      await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      return;
    }
    default:
      await ctx.sendActivity(openOutcomeText(outcome));
  }
}

const machineName = (m: MachineRef) => (m.by === 'id' ? m.id : m.name);
/** "14:05": the queue's estimate is to the minute at best. */
const utcTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** What a card route answers: a card (accepted, for the clicker) or a message to the clicker only (refused). */
export type CardAnswer = object | string;

/**
 * Runs a card route with the clicker's identity, turning errors into a chat message.
 * Identity always comes from the activity, never from card data.
 */
async function asActor(
  deps: HandlerDeps,
  ctx: TurnContext,
  verb: string,
  fn: (actor: Person) => Promise<CardAnswer>,
): Promise<CardAnswer> {
  const actor = actorOf(ctx.activity);
  if (!actor) return NO_IDENTITY;
  try {
    return await fn(actor);
  } catch (e) {
    return chatErrorText(e, deps.logger, { activityId: ctx.activity.id, verb });
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
  return asActor(deps, ctx, verb, async (actor) => {
    const a = ctx.activity;
    const outcome = await deps.offboarding.act({
      requestId: data.requestId,
      action,
      actor,
      tenantId: tenantOf(a),
      conversationId: a.conversation.id,
    });
    if (!outcome.ok) return outcome.message;
    return renderRequestCard(outcome.request, await viewFor(deps, outcome.request, actor));
  });
}

/** The card's refresh: the request as stored now (no state change). */
export function onRefresh(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<CardAnswer> {
  return asActor(deps, ctx, VERBS.refresh, async (actor) => {
    const a = ctx.activity;
    const r = await deps.offboarding.status({
      requestId: String(data.requestId ?? ''),
      actorId: actor.aadObjectId,
      tenantId: tenantOf(a),
      conversationId: a.conversation.id,
    });
    return r
      ? renderRequestCard(r, await viewFor(deps, r, actor))
      : 'This card does not belong to a known request.';
  });
}

/** "Offboard this one" on the several-matches card: re-resolved by id, re-checked like a typed command. */
export function onChooseDevice(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<CardAnswer> {
  return asActor(deps, ctx, VERBS.choose, async (actor) => {
    const id = typeof data.machineId === 'string' ? data.machineId.toLowerCase() : '';
    if (!isDeviceId(id)) return 'This card does not name a valid device.';
    const a = ctx.activity;
    const outcome = await deps.offboarding.open({
      actor,
      tenantId: tenantOf(a),
      conversation: conversationLink(a, a.replyToId),
      machine: { by: 'id', id },
    });
    if (outcome.kind === 'created')
      return `Request ${outcome.request.id} opened: see the new card in this thread.`;
    if (outcome.kind === 'ambiguous') return 'Several devices still match; use the device id.';
    return openOutcomeText(outcome);
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
