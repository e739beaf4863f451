import type { OffboardRequest } from '../request/model';
import { mutate } from './compare-and-set';
import { finalNotice, needsCardUpdate, needsFinalNotice } from './notices';
import type { OffboardingDeps } from './ports';

/**
 * Brings Teams up to date with the store: the card shows the latest state, and the
 * final status is posted once into the thread. What was delivered is recorded on
 * the request, so anything that failed (Teams down, process killed) is delivered by
 * the next sync — the maintenance sweep or the restart — rather than lost.
 * Syncs of one request run one after another, so a notice is not posted twice.
 */
export class Delivery {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: OffboardingDeps) {}

  sync(r: OffboardRequest): Promise<void> {
    const prev = this.chains.get(r.id) ?? Promise.resolve();
    const next = prev
      .then(() => this.syncNow(r.id))
      .catch((e) =>
        this.deps.logger.warn({ err: e, requestId: r.id }, 'delivery to Teams failed; will retry'),
      );
    this.chains.set(r.id, next);
    void next.finally(() => {
      if (this.chains.get(r.id) === next) this.chains.delete(r.id);
    });
    return next;
  }

  idle(): Promise<void> {
    return Promise.all([...this.chains.values()]).then(() => undefined);
  }

  private async syncNow(id: string): Promise<void> {
    const { store, notifier } = this.deps;
    let r = await store.get(id);
    if (!r) return;
    if (!r.conversation.cardActivityId) {
      const shown = r.version;
      const activityId = await notifier.postCard(r);
      r = (await mutate(store, id, (cur) => ({
        ...cur,
        conversation: { ...cur.conversation, cardActivityId: activityId },
        delivery: { ...cur.delivery, cardShownVersion: shownAfterWrite(cur, shown) },
      })))!;
    } else if (needsCardUpdate(r)) {
      const shown = r.version;
      await notifier.updateCard(r);
      r = (await mutate(store, id, (cur) => ({
        ...cur,
        delivery: { ...cur.delivery, cardShownVersion: shownAfterWrite(cur, shown) },
      })))!;
    }
    if (needsFinalNotice(r)) {
      await notifier.postInThread(r, finalNotice(r), { mentionRequester: true });
      const at = new Date(this.deps.clock.now()).toISOString();
      await mutate(store, id, (cur) => ({
        ...cur,
        delivery: {
          ...cur.delivery,
          finalNoticeAt: at,
          // This write changes nothing the card shows: keep an up-to-date card marked so.
          cardShownVersion: needsCardUpdate(cur) ? cur.delivery?.cardShownVersion : cur.version + 1,
        },
      }));
    }
  }
}

/** The version our delivery write will get, if nothing changed since `shown` was rendered. */
function shownAfterWrite(cur: OffboardRequest, shown: number): number {
  return cur.version === shown ? cur.version + 1 : shown;
}
