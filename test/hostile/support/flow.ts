import type { OffboardRequest } from '../../../bot/request/model';
import { openSqliteStore, type AuditRecord } from '../../../bot/store';
import { waitForNewCard, verbs, type Harness } from '../../fakes/harness';
import type { Where } from '../../fakes/teams';

/** Shared steps for the hostile tests: open a request over HTTP, and read the store. */
export const channel = (rootId = 'root-1'): Where => ({ kind: 'channel', rootId });
export const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

/** What an invoke answered: a card (object) for an accepted click, a string for a refusal. */
export const invokeMessage = (r: { body: unknown }): unknown => (r.body as { value?: unknown })?.value;

export async function openRequest(
  h: Harness,
  where: Where = channel(),
  machine = 'ws-042',
  tenantId?: string,
) {
  const since = h.connector.sent.length;
  const res = await h.say('alex', `offboard ${machine}`, where, tenantId);
  if (res.status !== 200) throw new Error(`offboard answered ${res.status}`);
  return waitForNewCard(h, since);
}

export async function openAndSubmit(
  h: Harness,
  where: Where = channel(),
  machine = 'ws-042',
  tenantId?: string,
) {
  const opened = await openRequest(h, where, machine, tenantId);
  const res = await h.click(
    'alex',
    verbs.submit,
    { requestId: opened.requestId, comment: 'Laptop stolen' },
    where,
    {
      replyToId: opened.card.id,
      tenantId,
    },
  );
  if (typeof invokeMessage(res) !== 'object')
    throw new Error(`submit refused: ${String(invokeMessage(res))}`);
  return opened;
}

/** The request as stored and its audit trail, read through a second connection (WAL lets it). */
export async function snapshot(
  h: Harness,
  requestId: string,
): Promise<{ request: OffboardRequest | undefined; audit: AuditRecord[] }> {
  await h.runtime.offboarding.idle();
  const store = openSqliteStore({ dataDir: h.dataDir });
  try {
    const request = await store.get(requestId);
    const audit = (await store.audit()).filter((a) => a.requestId === requestId);
    return { request, audit };
  } finally {
    await store.close();
  }
}

export async function readAudit(dataDir: string): Promise<AuditRecord[]> {
  const store = openSqliteStore({ dataDir });
  try {
    return await store.audit();
  } finally {
    await store.close();
  }
}

export async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Calls the simulator received that could change a device (offboard or cancel). */
export const defenderWrites = (h: Harness): number => h.sim.calls.filter((c) => c.method === 'POST').length;
