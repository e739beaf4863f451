import { startHarness, verbs, type Harness } from '../fakes/harness';
import { invokeActivity, messageActivity, postActivity, user } from '../fakes/teams';
import { channel, openRequest, readAudit, snapshot } from './support/flow';

/**
 * Only Microsoft Teams may drive the bot (issue #10, item 2). An Azure Bot has the Web
 * Chat channel on by default, and Direct Line clients write `channelData` (where the
 * tenant comes from) themselves. An activity whose `channelId` is not `msteams` gets
 * 403 before any handler: no card, no Defender call, no change to the store, and a
 * warning in the log.
 */
jest.setTimeout(30_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await h.close();
});

const FOREIGN: Array<string | undefined> = [
  'webchat',
  'directline',
  'emulator',
  'MSTeams',
  'msteams ',
  undefined,
];

const refusals = (since: number) =>
  h.logs.slice(since).filter((l) => /"level":40/.test(l) && /channel/i.test(l) && /refused/.test(l));

async function quiet(): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  await h.runtime.offboarding.idle();
}

test('offboard ws-042 from another channel: 403, no card, no Defender call, store unchanged, a warning', async () => {
  const audit = (await readAudit(h.dataDir)).length;
  const calls = h.sim.calls.length;
  const sent = h.connector.sent.length;
  const logs = h.logs.length;
  const statuses: string[] = [];
  for (const channelId of FOREIGN) {
    const activity: Record<string, unknown> = messageActivity({
      serviceUrl: h.connector.url,
      from: user('alex'),
      text: 'offboard ws-042',
      where: { kind: 'personal', userKey: 'alex' },
    });
    if (channelId === undefined) delete activity.channelId;
    else activity.channelId = channelId;
    const res = await postActivity(h.runtime.botUrl, activity);
    statuses.push(`${channelId}: ${res.status}`);
  }
  await quiet();
  const warned = refusals(logs).length;
  console.log(
    `channel: ${FOREIGN.length} offboard messages from other channels answered ${statuses.join(', ')}; ` +
      `${h.connector.sent.length - sent} Teams posts, ${h.sim.calls.length - calls} Defender calls, ` +
      `${(await readAudit(h.dataDir)).length - audit} audit rows, ${warned} warnings`,
  );
  expect(h.connector.sent.length).toBe(sent);
  expect(h.sim.calls.length).toBe(calls);
  expect((await readAudit(h.dataDir)).length).toBe(audit);
  expect(statuses).toEqual(FOREIGN.map((c) => `${c}: 403`));
  expect(warned).toBe(FOREIGN.length);
});

test('a card action (invoke) on an existing request from Direct Line: 403, request and card unchanged', async () => {
  const where = channel('root-channel-check');
  const opened = await openRequest(h, where, 'ws-008');
  const before = await snapshot(h, opened.requestId);
  const calls = h.sim.calls.length;
  const sent = h.connector.sent.length;
  const logs = h.logs.length;
  const click = invokeActivity({
    serviceUrl: h.connector.url,
    from: user('alex'),
    verb: verbs.submit,
    data: { requestId: opened.requestId, comment: 'Laptop stolen' },
    where,
    replyToId: opened.card.id,
  });
  const res = await postActivity(h.runtime.botUrl, { ...click, channelId: 'directline' });
  await quiet();
  const after = await snapshot(h, opened.requestId);
  console.log(
    `channel: a submit click from directline on ${opened.requestId} answered ${res.status}; ` +
      `state ${before.request?.state} -> ${after.request?.state}, ${h.connector.sent.length - sent} Teams posts, ` +
      `${h.sim.calls.length - calls} Defender calls, ${refusals(logs).length} warnings`,
  );
  expect(res.status).toBe(403);
  expect(after).toEqual(before);
  expect(h.connector.sent.length).toBe(sent);
  expect(h.sim.calls.length).toBe(calls);
  expect(refusals(logs)).toHaveLength(1);

  // Control: the same click from Teams is accepted and moves the request on.
  const ok = await postActivity(h.runtime.botUrl, click);
  await quiet();
  expect(ok.status).toBe(200);
  expect((await snapshot(h, opened.requestId)).request?.state).not.toBe(before.request?.state);
});
