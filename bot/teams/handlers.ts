import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import { parseCommand, HELP_TEXT, isDeviceId, type MachineRef } from '../commands';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { UserAction } from '../request/policy';
import type { Offboarding } from '../offboarding/service';
import { renderRequestCard } from '../../cards/request-card';
import { renderChooseDeviceCard } from '../../cards/choose-device-card';
import { INPUTS, VERBS } from '../../cards/verbs';
import { actorOf, botMentionTexts, tenantOf } from './identity';
import { chatErrorText } from './chat-errors';
import { escapeMd, openOutcomeText, statusText } from './replies';

/**
 * Thin handlers: translate the Teams activity into a use-case call and the outcome
 * back into a reply. No rules live here (architecture.md, habit 2).
 */
export interface HandlerDeps {
  offboarding: Offboarding;
  clock: Clock;
  logger: Logger;
}

const NO_IDENTITY =
  'I could not tell who you are (no Entra identity on the message), so I cannot act on this.';

export async function onMessage(deps: HandlerDeps, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  const cmd = parseCommand({ text: a.text ?? '', mentionTexts: botMentionTexts(a) });
  try {
    switch (cmd.kind) {
      case 'help':
        await ctx.sendActivity(HELP_TEXT);
        return;
      case 'unknown': {
        const hint = cmd.suggestion ? ` Did you mean \`${cmd.suggestion}\`?` : '';
        await ctx.sendActivity(`I don't know the command "${escapeMd(cmd.word)}".${hint}\n\n${HELP_TEXT}`);
        return;
      }
      case 'invalid':
        await ctx.sendActivity(cmd.message);
        return;
      case 'status': {
        const r = await deps.offboarding.status(cmd.requestId, tenantOf(a));
        await ctx.sendActivity(
          r ? statusText(r) : `I know no request ${cmd.requestId} in your organization.`,
        );
        return;
      }
      case 'offboard':
        await openFromCommand(deps, ctx, cmd.machine, cmd.comment);
        return;
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
  const outcome = await deps.offboarding.open({
    actor,
    tenantId: tenantOf(a),
    conversation: {
      conversationId: a.conversation.id,
      reference: TurnContext.getConversationReference(a) as Record<string, unknown>,
      threadRootId: a.id,
    },
    machine,
    comment,
  });
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

/** Action.Execute on a request card. Returns a card (accepted) or a message to the clicker only (refused). */
export async function onCardAction(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<object | string> {
  const a = ctx.activity;
  const verb = (a.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  const actor = actorOf(a);
  if (!actor) return NO_IDENTITY;
  try {
    if (verb === VERBS.choose) return await chooseDevice(deps, ctx, data);
    if (verb === VERBS.refresh) {
      const r = await deps.offboarding.status(String(data.requestId ?? ''), tenantOf(a));
      return r
        ? renderRequestCard(r, { now: deps.clock.now() })
        : 'This card does not belong to a known request.';
    }
    const action = toUserAction(verb, data);
    if (!action) return 'This action is not recognised.';
    const outcome = await deps.offboarding.act({
      requestId: data.requestId,
      action,
      actor,
      tenantId: tenantOf(a),
      conversationId: a.conversation.id,
    });
    if (!outcome.ok) return outcome.message;
    return renderRequestCard(outcome.request, { now: deps.clock.now() });
  } catch (e) {
    return chatErrorText(e, deps.logger, { activityId: a.id, verb });
  }
}

function toUserAction(verb: unknown, data: Record<string, unknown>): UserAction | undefined {
  switch (verb) {
    case VERBS.submit:
      return { kind: 'submit', comment: data[INPUTS.comment] };
    case VERBS.approve:
      return { kind: 'approve' };
    case VERBS.reject:
      return { kind: 'reject', reason: data[INPUTS.rejectReason] };
    case VERBS.cancel:
      return { kind: 'cancel' };
    default:
      return undefined;
  }
}

/** "Offboard this one" on the several-matches card: re-resolved by id, re-checked like a typed command. */
async function chooseDevice(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<string> {
  const id = typeof data.machineId === 'string' ? data.machineId.toLowerCase() : '';
  if (!isDeviceId(id)) return 'This card does not name a valid device.';
  const before = ctx.activity;
  const outcome = await deps.offboarding.open({
    actor: actorOf(before)!,
    tenantId: tenantOf(before),
    conversation: {
      conversationId: before.conversation.id,
      reference: TurnContext.getConversationReference(before) as Record<string, unknown>,
      threadRootId: before.replyToId,
    },
    machine: { by: 'id', id },
  });
  if (outcome.kind === 'created')
    return `Request ${outcome.request.id} opened: see the new card in this thread.`;
  if (outcome.kind === 'ambiguous') return 'Several devices still match; use the device id.';
  return openOutcomeText(outcome);
}
