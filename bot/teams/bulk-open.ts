/**
 * Bulk `offboard` in Teams: the typed command (`offboard ws-1, ws-2 …`, selectors) and
 * the confirm button. Thin like handlers.ts: the use case decides, this file answers.
 * The request's card itself is posted by the use case (delivery), as for one device.
 */
import { CardFactory, MessageFactory, TurnContext, type Activity } from 'botbuilder';
import { formatSelectors, parseCommand, type ParseResult } from '../commands';
import { translator, type Translator } from '../i18n';
import type { BulkOpenInput, BulkOpenOutcome } from '../offboarding/open-bulk';
import type { ConversationLink, Person } from '../request/model';
import { renderBulkConfirmCard, renderBulkConfirmedCard } from '../../cards/bulk-confirm-card';
import { reasonText } from '../../cards/bulk-card';
import { BULK_REFUSALS } from '../request/model';
import { answerNowOrLater } from './answer-later';
import { actorOf, activityLocale, tenantOf } from './identity';
import { chatErrorText } from './chat-errors';
import { refusalText } from './localized-errors';
import type { CardAnswer, HandlerDeps } from './handler-deps';

type BulkCommand = Extract<ParseResult, { kind: 'offboard_bulk' }>;

const replyT = (deps: HandlerDeps, a: Partial<Activity>): Translator =>
  translator(activityLocale(a, deps.defaultLocale ?? 'en'));

function link(a: Activity, threadRootId: string | undefined): ConversationLink {
  return {
    conversationId: a.conversation.id,
    reference: TurnContext.getConversationReference(a) as Record<string, unknown>,
    threadRootId,
  };
}

function open(
  deps: HandlerDeps,
  a: Activity,
  actor: Person,
  cmd: BulkCommand,
  confirmed: boolean,
  root?: string,
  onQueued?: BulkOpenInput['onQueued'],
) {
  return deps.offboarding.openBulk({
    onQueued,
    actor,
    tenantId: tenantOf(a),
    conversation: link(a, root),
    devices: cmd.devices,
    selectors: cmd.selectors,
    comment: cmd.comment,
    confirmed,
  });
}

/** `offboard` with a list or selectors, typed in a chat. */
export async function onBulkCommand(deps: HandlerDeps, ctx: TurnContext, cmd: BulkCommand): Promise<void> {
  const a = ctx.activity;
  const t = replyT(deps, a);
  const actor = actorOf(a);
  if (!actor) return void (await ctx.sendActivity(t('chat.noIdentity')));
  await answerNowOrLater(ctx, {
    start: (onQueued) => open(deps, a, actor, cmd, false, a.id, (info) => onQueued(info.estimatedStartMs)),
    answer: (c, outcome) => answerCommand(c, t, actor, cmd, outcome),
    failed: (c, e) =>
      c.sendActivity(chatErrorText(e, deps.logger, { activityId: a.id, command: cmd.kind }, t)),
    queuedText: (time) => t('bulk.queued', { time }),
    logger: deps.logger,
    what: 'queued bulk offboard',
  });
}

async function answerCommand(
  ctx: TurnContext,
  t: Translator,
  actor: Person,
  cmd: BulkCommand,
  outcome: BulkOpenOutcome,
): Promise<void> {
  const a = ctx.activity;
  if (outcome.kind === 'confirm') {
    const card = renderBulkConfirmCard(
      {
        count: outcome.count,
        selectors: formatSelectors(cmd.selectors),
        command: outcome.command,
        requesterId: actor.aadObjectId,
      },
      { locale: t.locale },
    );
    await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    return;
  }
  if (outcome.kind === 'created') {
    // The card was posted by the use case (through the notifier), into this thread.
    if (a.conversation.conversationType === 'personal')
      await ctx.sendActivity(t('bulk.personal', { id: outcome.request.id }));
    return;
  }
  await ctx.sendActivity(outcomeText(outcome, t));
}

/** The confirm button: only the requester; the command is parsed again and the set found anew. */
export async function onConfirmBulk(
  deps: HandlerDeps,
  ctx: TurnContext,
  data: Record<string, unknown>,
): Promise<CardAnswer> {
  const a = ctx.activity;
  const t = replyT(deps, a);
  const actor = actorOf(a);
  if (!actor) return t('chat.noIdentity');
  const requesterId = typeof data.requesterId === 'string' ? data.requesterId.toLowerCase() : '';
  if (requesterId !== actor.aadObjectId) return t('bulk.confirm.onlyRequester');
  const cmd = parseCommand({ text: typeof data.command === 'string' ? data.command : '' });
  if (cmd.kind !== 'offboard_bulk') return t('bulk.confirm.invalid');
  try {
    const outcome = await open(deps, a, actor, cmd, true, a.replyToId);
    if (outcome.kind === 'created')
      return renderBulkConfirmedCard(
        { requestId: outcome.request.id, count: outcome.request.targets.length },
        { locale: t.locale },
      );
    // Confirmed commands are never asked again; a forged one is simply refused.
    if (outcome.kind === 'confirm') return t('bulk.confirm.invalid');
    return outcomeText(outcome, t);
  } catch (e) {
    return chatErrorText(e, deps.logger, { activityId: a.id, verb: 'confirmBulk' }, t);
  }
}

/** Every outcome but `created` and `confirm`, as a chat answer. */
export function outcomeText(
  o: Exclude<BulkOpenOutcome, { kind: 'created' | 'confirm' }>,
  t: Translator,
): string {
  switch (o.kind) {
    case 'refused':
      return refusalText(t, o);
    case 'too_many':
      return t('bulk.tooMany', { count: o.count, limit: o.limit });
    case 'mixed_rules':
      return t('bulk.mixedRules', {
        rules: o.rules.map((r) => t('bulk.ruleCount', { rule: r.name, count: r.count })).join(', '),
      });
    case 'busy':
      return t('bulk.busy', { device: o.machine, id: o.requestId ?? '?' });
    case 'none': {
      if (!o.matched && !BULK_REFUSALS.some((r) => o.refusedCounts[r])) return t('bulk.nothingMatched');
      const reasons = BULK_REFUSALS.filter((r) => o.refusedCounts[r])
        .map((r) => t('bulk.reasonCount', { reason: reasonText(t, r), count: o.refusedCounts[r] ?? 0 }))
        .join('; ');
      const count = BULK_REFUSALS.reduce((n, r) => n + (o.refusedCounts[r] ?? 0), 0);
      return t('bulk.nothing', { count, reasons });
    }
  }
}
