import { newRequest } from '../../bot/request/factory';
import { recordAction, recordStatus } from '../../bot/request/transitions';
import type { OffboardRequest, Person } from '../../bot/request/model';
import { decide, type UserAction } from '../../bot/request/policy';
import { openSqliteStore } from '../../bot/store';
import { sandboxIds, SANDBOX_TENANT_ID } from '../../sandbox/users';
import { BOT, TEAM_ID, user } from '../../test/fakes/teams';
import { benchFleet } from './fleet';

/**
 * A store that has been in use for a while: `n` requests made by the real pure
 * functions (newRequest, decide, recordAction, recordStatus), so bodies, history and
 * audit rows are what the bot writes. MIX: 94% completed, 2% rejected, 2% cancelled,
 * 1% awaiting approval, 1% draft. The active ones are recent and not yet due, so a bot
 * started on the folder has nothing to expire or deliver.
 */
const MIX: Array<[OffboardRequest['state'], number]> = [
  ['completed', 0.94],
  ['rejected', 0.02],
  ['cancelled', 0.02],
  ['awaiting_approval', 0.01],
  ['draft', 0.01],
];
const DAY = 86_400_000;

const person = (key: string): Person => {
  const u = user(key);
  return { aadObjectId: u.aadObjectId, name: u.name, teamsId: u.id, upn: u.upn };
};
const roster = {
  requesters: new Set(sandboxIds('requester')),
  approvers: new Set(sandboxIds('approver')),
  allowedTenantIds: new Set([SANDBOX_TENANT_ID]),
};

function stateFor(i: number, n: number): OffboardRequest['state'] {
  let edge = 0;
  for (const [state, share] of MIX) if (i < n * (edge += share)) return state;
  return 'completed';
}

export function buildRequest(
  i: number,
  n: number,
  machine: ReturnType<typeof benchFleet>[number],
  now: number,
) {
  const state = stateFor(i, n);
  const active = state === 'draft' || state === 'awaiting_approval';
  // Finished requests spread over the last 90 days; active ones opened in the last hour.
  let t = active ? now - (i % 60) * 60_000 : now - 90 * DAY + Math.floor((i / n) * 89 * DAY);
  const rootId = `seed-${i}`;
  const conversationId = `${TEAM_ID};messageid=${rootId}`;
  const reference = {
    activityId: rootId,
    user: { id: user('alex').id, name: user('alex').name, aadObjectId: user('alex').aadObjectId },
    bot: BOT,
    conversation: {
      id: conversationId,
      conversationType: 'channel',
      isGroup: true,
      tenantId: SANDBOX_TENANT_ID,
    },
    channelId: 'msteams',
    locale: 'en-US',
    // Loopback, port 1: nothing listens, so a stray delivery fails at once and never leaves the host.
    serviceUrl: 'http://127.0.0.1:1/',
  };
  let r = newRequest({
    id: `OFB-${i.toString(32).toUpperCase().padStart(8, '0')}`,
    now: t,
    ttlMs: DAY,
    tenantId: SANDBOX_TENANT_ID,
    requester: person('alex'),
    conversation: { conversationId, reference, threadRootId: rootId, cardActivityId: `card-${i}` },
    machine,
    approvalsRequired: 2,
  });
  const step = (who: string, action: UserAction) => {
    t += 60_000;
    const d = decide(r, action, {
      actor: person(who),
      tenantId: SANDBOX_TENANT_ID,
      conversationId,
      now: t,
      roster,
    });
    if (!d.ok) throw new Error(`seed: ${d.message}`);
    r = d.request;
  };
  if (state !== 'draft')
    step('alex', { kind: 'submit', comment: 'Device reimaged and handed over to IT stock' });
  if (state === 'rejected') step('casey', { kind: 'reject', reason: 'Wrong device, see the ticket' });
  if (state === 'cancelled') step('alex', { kind: 'cancel' });
  if (state === 'completed') {
    step('casey', { kind: 'approve' });
    step('devon', { kind: 'approve' });
    const action = { id: `a${i.toString(16).padStart(35, '0')}`, status: 'Pending' as const };
    r = recordAction(r, machine.id, (t += 2000), action, t + 10_000, false);
    r = recordStatus(r, machine.id, (t += 10_000), 'InProgress', t + 20_000);
    r = recordStatus(r, machine.id, (t += 20_000), 'Succeeded', undefined);
  }
  // Everything was delivered: the card shows the stored version (1, as create() stores it).
  const finalNoticeAt = state === 'completed' ? { finalNoticeAt: new Date(t + 500).toISOString() } : {};
  return { ...r, delivery: { cardShownVersion: 1, ...finalNoticeAt } };
}

/** Writes `n` requests into `<dataDir>/offboarder.db` through the store's own create(). */
export async function seedStore(dataDir: string, n: number): Promise<{ seconds: number; bytes: number }> {
  const started = Date.now();
  const fleet = benchFleet(n, Date.now());
  const store = openSqliteStore({ dataDir });
  try {
    const now = Date.now();
    // create() runs synchronously inside; batching 500 per outer transaction (a
    // savepoint each) keeps seeding from paying 10,000 fsyncs. The rows are the same.
    for (let from = 0; from < n; from += 500) {
      store.db.transaction(() => {
        for (let i = from; i < Math.min(n, from + 500); i++)
          void store.create(buildRequest(i, n, fleet[i]!, now));
      })();
    }
    const bytes = (store.db.prepare('SELECT sum(length(body)) AS b FROM requests').get() as { b: number }).b;
    return { seconds: (Date.now() - started) / 1000, bytes };
  } finally {
    await store.close();
  }
}
