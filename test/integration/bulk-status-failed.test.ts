import { cardContent, startHarness, waitForNewCard, verbs, type Harness } from '../fakes/harness';
import { channel, waitUntil } from '../fakes/flow';
import { LAB } from '../../sandbox/defender';

/**
 * `status OFB-… failed` (issue #14) over HTTP: a bulk request whose Defender actions end
 * Failed for two of its devices; the answer lists exactly those, after the same read
 * check as `status` (someone outside the roster learns nothing).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sim: { lab: true } });
});
afterAll(() => h.close());

async function reply(who: string, text: string, where: ReturnType<typeof channel>): Promise<string> {
  const since = h.connector.sent.length;
  await h.say(who, text, where);
  const sent = await h.connector.waitFor(
    (a) => h.connector.sent.indexOf(a) >= since && typeof a.activity.text === 'string' && !cardContent(a),
  );
  return String(sent.activity.text);
}

it('lists the devices that were not offboarded, for people who may read the request', async () => {
  const where = channel('bulk-failed');
  const names = [LAB.name(1), LAB.name(2), LAB.name(3)];
  const failing = names.slice(1).map((n) => h.sim.machines.find((m) => m.computerDnsName === n)!);
  h.sim.setFaults({ failActions: failing.map((m) => ({ machineId: m.id, finalStatus: 'Failed' })) });

  const since = h.connector.sent.length;
  await h.say('alex', `offboard ${names.join(', ')} retired lab`, where);
  const { requestId, card } = await waitForNewCard(h, since);
  await h.click('alex', verbs.submit, { requestId, comment: 'INC-7 lab retired' }, where, {
    replyToId: card.id,
  });
  for (const who of ['casey', 'devon'])
    await h.click(who, verbs.approve, { requestId }, where, { replyToId: card.id });
  // The final notice is posted once every device has ended: ask after it.
  await h.connector.waitFor((a) =>
    String(a.activity.text ?? '').includes(`Request ${requestId} is finished`),
  );
  await waitUntil(
    async () => ['completed', 'failed'].includes((await h.runtime.store.get(requestId))!.state),
    5_000,
  );

  const text = await reply('blair', `status ${requestId} failed`, where);
  expect(text.split('\n')[0]).toBe(
    `Request ${requestId}: 2 devices were not offboarded or have an unknown outcome.`,
  );
  const lines = text.split('\n').filter((l) => l.startsWith('- '));
  expect(lines).toHaveLength(2);
  for (const m of failing) expect(text).toContain(`- ${m.computerDnsName}: Defender action`);
  expect(text).toContain('ended Failed');
  expect(text).not.toContain(names[0]!);

  // Without `failed`, the usual status answer; someone outside the roster learns nothing.
  expect(await reply('blair', `status ${requestId}`, where)).not.toContain('- ');
  expect(await reply('emery', `status ${requestId} failed`, where)).toBe(
    `I know no request ${requestId} that you can see here.`,
  );
}, 60_000);
