import { rmSync } from 'node:fs';
import { startHarness, type Harness } from '../fakes/harness';
import { channel } from '../fakes/flow';

/**
 * A bulk command whose look-ups Defender's rate limit holds: the bot says when they
 * will run and ends the turn, instead of keeping Teams waiting (bot/teams/bulk-open.ts).
 */
let h: Harness;
beforeAll(async () => {
  // Two device reads a minute: the third batch of 20 names has to wait.
  h = await startHarness({ env: { MDE_RATE_PER_MINUTE: '2', MDE_RATE_PER_HOUR: '100' } });
});
afterAll(async () => {
  // Stopping the bot ends the held look-ups; their answer (an error) is delivered before
  // the fake connector closes, so no send is left retrying against a closed port.
  const before = h.connector.sent.length;
  await h.runtime.stop();
  await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= before);
  await Promise.all([h.connector.close(), h.sim.close(), h.graph.close()]);
  rmSync(h.dataDir, { recursive: true, force: true });
});

it('answers at once with the time the look-ups will run', async () => {
  const names = Array.from({ length: 45 }, (_, i) => `lab-${String(i + 1).padStart(3, '0')}`);
  const started = Date.now();
  const res = await h.say('alex', `offboard ${names.join(', ')} retired`, channel('bulk-queued'));
  expect(res.status).toBe(200);
  const reply = await h.connector.waitFor((a) => /API limit is reached/.test(String(a.activity.text ?? '')));
  expect(String(reply.activity.text)).toMatch(/look the devices up at about \d\d:\d\d UTC/);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(h.sim.calls.filter((c) => c.operation === 'listMachines')).toHaveLength(2);
});
