/**
 * A command whose Defender look-up may wait for the rate limit: answered in the turn when
 * the outcome comes first; otherwise the turn says when the look-up runs (Teams wants an
 * answer within 15 s) and the outcome follows in the thread, proactively.
 */
import { TurnContext, type CloudAdapter } from 'botbuilder';
import type { ClaimsIdentity } from 'botframework-connector';
import type { Logger } from '../log';

export interface AnswerLater<T> {
  /** Starts the work; calls `onQueued` with the estimated start when the limiter holds it. */
  start(onQueued: (startMs: number) => void): Promise<T>;
  answer(c: TurnContext, outcome: T): Promise<unknown>;
  failed(c: TurnContext, e: unknown): Promise<unknown>;
  /** What the turn says while the work waits: the start time is `HH:MM` UTC. */
  queuedText(utcTime: string): string;
  logger: Logger;
  /** For the log line when the later answer cannot be delivered. */
  what: string;
}

export async function answerNowOrLater<T>(ctx: TurnContext, o: AnswerLater<T>): Promise<void> {
  const a = ctx.activity;
  let queued: (startMs: number) => void = () => undefined;
  const held = new Promise<number>((resolve) => (queued = resolve));
  const work = o.start((ms) => queued(ms));
  let first: { outcome: T } | { at: number };
  try {
    first = await Promise.race([work.then((outcome) => ({ outcome })), held.then((at) => ({ at }))]);
  } catch (e) {
    return void (await o.failed(ctx, e));
  }
  if ('outcome' in first) return void (await o.answer(ctx, first.outcome));
  await ctx.sendActivity(o.queuedText(new Date(first.at).toISOString().slice(11, 16)));
  const adapter = ctx.adapter as CloudAdapter;
  const identity = ctx.turnState.get<ClaimsIdentity>(adapter.BotIdentityKey);
  const reference = TurnContext.getConversationReference(a);
  const later = (fn: (c: TurnContext) => Promise<unknown>) =>
    adapter.continueConversationAsync(identity, reference, async (c) => void (await fn(c)));
  void work
    .then(
      (outcome) => later((c) => o.answer(c, outcome)),
      (e: unknown) => later((c) => o.failed(c, e)),
    )
    .catch((err: unknown) => o.logger.warn({ err, activityId: a.id }, `${o.what}: answer not delivered`));
}
