import type { OffboardRequest } from '../../../bot/request/model';
import { openSqliteStore, type AuditRecord } from '../../../bot/store';
import type { Harness } from '../../fakes/harness';

/** The hostile tests' own steps (reading the store); the flow steps come from test/fakes. */
export { channel, invokeMessage, openAndSubmit, openRequest, waitUntil } from '../../fakes/flow';
export const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

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

/** Calls the simulator received that could change a device (offboard or cancel). */
export const defenderWrites = (h: Harness): number => h.sim.calls.filter((c) => c.method === 'POST').length;
