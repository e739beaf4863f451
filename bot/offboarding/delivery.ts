/**
 * Brings Teams up to date with the store: the card shows the latest state, and the
 * final status is posted once into the thread. What was delivered is recorded on
 * the request, so anything that failed (Teams down, process killed) is delivered by
 * the next sync — the maintenance sweep or the restart — rather than lost.
 * Syncs of one request run one after another, so a notice is not posted twice.
 */
import type { OffboardRequest } from '../request/model';
import {
  needsCardUpdate,
  needsFinalNotice,
  recordCardPosted,
  recordCardShown,
  recordFinalNotice,
} from '../request/delivery-state';
import { applyChange } from './compare-and-set';
import { finalNotice, requesterLocale } from './notices';
import { bulkFinalNotice } from './bulk-notices';
import { isBulk } from '../request/bulk-progress';
import { translator } from '../i18n';
import type { OffboardingDeps } from './ports';

/**
 * Delivery records need not wait for the disk: lost in a machine crash, the card or
 * notice is sent again, as after a crash between sending and recording. A turn's one
 * durable write is then the change itself.
 */
const NOT_DURABLE = { durable: false };

export class Delivery {
  private readonly chains = new Map<string, Promise<void>>();
  /** The newest copy of each request handed to sync (highest version wins). */
  private readonly latest = new Map<string, OffboardRequest>();

  constructor(private readonly deps: OffboardingDeps) {}

  sync(r: OffboardRequest): Promise<void> {
    this.remember(r);
    const prev = this.chains.get(r.id) ?? Promise.resolve();
    const next = prev
      .then(() => this.syncNow(r.id))
      .catch((e) =>
        this.deps.logger.warn({ err: e, requestId: r.id }, 'delivery to Teams failed; will retry'),
      );
    this.chains.set(r.id, next);
    void next.finally(() => {
      if (this.chains.get(r.id) !== next) return;
      this.chains.delete(r.id);
      this.latest.delete(r.id);
    });
    return next;
  }

  idle(): Promise<void> {
    return Promise.all([...this.chains.values()]).then(() => undefined);
  }

  private remember(r: OffboardRequest): void {
    const known = this.latest.get(r.id);
    if (!known || known.version <= r.version) this.latest.set(r.id, r);
  }

  private async syncNow(id: string): Promise<void> {
    const { store, notifier } = this.deps;
    let r = this.latest.get(id);
    if (!r) return;
    if (!r.conversation.cardActivityId) {
      const shown = r.version;
      const activityId = await notifier.postCard(r);
      r = await applyChange(store, id, (cur) => recordCardPosted(cur, activityId, shown), NOT_DURABLE);
    } else if (needsCardUpdate(r)) {
      const shown = r.version;
      await notifier.updateCard(r);
      r = await applyChange(store, id, (cur) => recordCardShown(cur, shown), NOT_DURABLE);
    }
    if (!r) return;
    this.remember(r);
    if (needsFinalNotice(r)) {
      // A bulk request gets a summary (counts, then the devices that did not end well).
      const text = isBulk(r)
        ? bulkFinalNotice(r, translator(requesterLocale(r, this.deps.defaultLocale)))
        : finalNotice(r, this.deps.defaultLocale);
      await notifier.postInThread(r, text, { mentionRequester: true });
      const now = this.deps.clock.now();
      const saved = await applyChange(store, id, (cur) => recordFinalNotice(cur, now), NOT_DURABLE);
      if (saved) this.remember(saved);
    }
  }
}
