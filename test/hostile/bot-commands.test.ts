import fc from 'fast-check';
import { startHarness, type Harness } from '../fakes/harness';
import { hostileText } from './support/hostile-strings';
import {
  ACTIVE_OFFBOARDS,
  bulkMachinesFilter,
  ONE_LITERAL_STARTSWITH,
  readDefenderUrl,
  startsWithLiteral,
} from './support/defender-urls';

/**
 * End to end: hostile `offboard …` and `status …` messages typed into the bot over
 * HTTP. Whatever the text, every call the Defender simulator receives is a GET on
 * /api/machines (one startswith literal), /api/machines/<40 hex> or
 * /api/machineactions (machineId + type), nothing is offboarded, and each message
 * gets a reply.
 */
jest.setTimeout(60_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    // Lookups must not wait on the production pacing (100/min = one call per 600 ms).
    env: { MDE_RATE_PER_MINUTE: '10000', MDE_RATE_PER_HOUR: '100000', LOG_LEVEL: 'warn' },
    sim: { limits: { perMinute: 1_000_000, perHour: 10_000_000 } },
  });
});
afterAll(async () => {
  await h.close();
});

const where = { kind: 'personal', userKey: 'alex' } as const;
/** Names the parser accepts, so the lookups themselves get exercised, not only the refusals. */
const nameLike = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,14}[a-z0-9](\.[a-z0-9-]{1,8}){0,2}$/),
  fc.constantFrom(
    'ws-042',
    'WS-042.CONTOSO.LOCAL',
    'büro-01',
    'fin-laptop-07',
    'ws-obrien',
    'kiosk-lobby-01',
    'ｗｓ-042',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
);
const message = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(nameLike, hostileText).map(([m, c]) => `offboard ${m} ${c}`) },
  { weight: 2, arbitrary: nameLike.map((m) => `offboard ${m} stolen laptop`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-fA-F]{40}$/).map((id) => `offboard ${id}`) },
  { weight: 4, arbitrary: hostileText.map((t) => `offboard ${t}`) },
  { weight: 2, arbitrary: fc.tuple(hostileText, hostileText).map(([m, c]) => `offboard ${m} ${c}`) },
  { weight: 1, arbitrary: hostileText.map((t) => `offboard "${t}"`) },
  { weight: 1, arbitrary: hostileText.map((t) => `status ${t}`) },
  // Bulk forms (bot/commands/bulk.ts): hostile tags and groups, lists of names.
  { weight: 1, arbitrary: hostileText.map((t) => `offboard tag:"${t}" inactive:30d`) },
  { weight: 1, arbitrary: hostileText.map((t) => `offboard group:'${t}' tag:${t}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(nameLike, nameLike, hostileText).map(([a, b, c]) => `offboard ${a}, ${b} ${c}`),
  },
);

function checkCall(c: { method: string; path: string; query: string; operation: string }): void {
  expect(c.method).toBe('GET');
  const url = readDefenderUrl(c.query ? `${c.path}?${c.query}` : c.path);
  if (url.kind === 'machines') {
    // One name's look-up, or a bulk command's (lists, selectors: bot/commands/bulk.ts).
    const names = ONE_LITERAL_STARTSWITH.test(url.filterText)
      ? [startsWithLiteral(url.filter)]
      : bulkMachinesFilter(url.filter);
    // eslint-disable-next-line no-control-regex
    for (const n of names) expect(n).not.toMatch(/[\u0000-\u001f\u007f-\u009f'"%/\\\s]/);
  } else if (url.kind === 'actions') {
    expect(url.filterText).toMatch(
      new RegExp(`^machineId eq '[0-9a-f]{40}' and type eq 'Offboard'$|${ACTIVE_OFFBOARDS.source}`),
    );
  }
}

test('hostile commands reach Defender only as the expected lookups, and always get a reply', async () => {
  let sent = 0;
  let replied = 0;
  let tooLarge = 0;
  await fc.assert(
    fc.asyncProperty(message, async (text) => {
      sent++;
      const before = h.connector.sent.length;
      const res = await h.say('alex', text, where);
      if (res.status === 413) {
        // Over MAX_BODY_BYTES (server.ts): refused at the edge, before any handler.
        expect(Buffer.byteLength(JSON.stringify(text))).toBeGreaterThan(200_000);
        expect(h.connector.sent.length).toBe(before);
        tooLarge++;
        return;
      }
      expect(res.status).toBe(200);
      const reply = await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= before, 5_000);
      const shown = String(reply.activity.text ?? '') + JSON.stringify(reply.activity.attachments ?? '');
      expect(shown.trim().length).toBeGreaterThan(10);
      replied++;
    }),
    { numRuns: 400 },
  );
  await h.runtime.offboarding.idle();
  const calls = h.sim.calls;
  for (const c of calls) checkCall(c);
  const created = new Set(
    h.connector.sent
      .filter((a) => (a.activity.attachments as unknown[] | undefined)?.length)
      .map((a) => a.id),
  );
  console.log(
    `hostile-input: ${sent} generated commands typed into the bot, ${replied} replies, ${tooLarge} refused ` +
      `with 413 (body over 256 kB), ${calls.length} Defender ` +
      `calls (all GET on an expected path and filter), 0 offboard POSTs, ${created.size} cards`,
  );
  expect(h.offboardPosts()).toBe(0);
  // A 400 would mean the simulator could not read a filter we built; 404 is "no such device".
  const bad = calls.filter((c) => c.operation === 'unknown' || (c.status >= 400 && c.status !== 404));
  expect(bad).toEqual([]);
});
