import { Writable } from 'node:stream';
import type { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { createLogger } from '../../bot/log';
import { createReadiness } from '../../bot/readiness';
import { createBotServer, type BotServer } from '../../bot/server';

/**
 * /readyz is unauthenticated (issue #10, item 7): it answers `{ ready }` and a short
 * reason code, never an identity-platform error (AADSTS…) or a file path; those go to
 * the log. The Defender token check is cached for a few seconds, so a probe storm does
 * not become a token-request storm. The server runs in process on port 0; its checks
 * are injected and count their calls.
 */
const AADSTS =
  'AADSTS7000215: Invalid client secret provided. Trace ID: 0b4f7d2e-1111-4c1e-9a4e-7f0c5d9e2a00';
const PATH = '/var/lib/offboarder/secret-folder/offboarder.db';

const servers: BotServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

function world() {
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _e, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  });
  let now = 1_000_000;
  const counts = { store: 0, defender: 0 };
  const faults: { store?: Error; defender?: Error } = {};
  const readiness = createReadiness({
    checks: {
      store: async () => {
        counts.store++;
        if (faults.store) throw faults.store;
      },
      defender: async () => {
        counts.defender++;
        if (faults.defender) throw faults.defender;
      },
    },
    cacheMs: 5000,
    clock: { now: () => now },
    logger,
  });
  return { logs, logger, counts, faults, readiness, advance: (ms: number) => (now += ms) };
}

async function serve(
  readiness: Parameters<typeof createBotServer>[0]['readiness'],
  logger: ReturnType<typeof createLogger>,
) {
  const server = createBotServer({
    adapter: {} as TeamsAdapter,
    app: {} as Application,
    logger,
    readiness,
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: res.status, text: await res.text() };
  };
}

test('a failing token check: 503 {ready:false, reason:"defender_token"}; AADSTS and paths only in the log', async () => {
  const w = world();
  const probe = await serve(w.readiness, w.logger);
  w.faults.defender = Object.assign(new Error(`${AADSTS} (certificate ${PATH})`), {
    code: 'token_unavailable',
  });
  const r = await probe();
  console.log(`readiness: token check failing with an AADSTS code and a path: ${r.status} ${r.text}`);
  expect(r.status).toBe(503);
  expect(JSON.parse(r.text)).toEqual({ ready: false, reason: 'defender_token' });
  expect(r.text).not.toMatch(/AADSTS|\/var\/lib/);
  expect(w.logs.join('')).toContain('AADSTS7000215');
  expect(w.logs.join('')).toContain(PATH);
});

test('a failing store: 503 {ready:false, reason:"store_unavailable"}, no path in the answer', async () => {
  const w = world();
  const probe = await serve(w.readiness, w.logger);
  w.faults.store = new Error(`DATA_DIR /var/lib/offboarder: SQLITE_IOERR reading ${PATH}`);
  const r = await probe();
  expect([r.status, JSON.parse(r.text)]).toEqual([503, { ready: false, reason: 'store_unavailable' }]);
  expect(r.text).not.toContain('/var/lib');
  expect(w.logs.join('')).toContain(PATH);
  w.faults.store = undefined;
  const ok = await probe();
  expect([ok.status, JSON.parse(ok.text)]).toEqual([200, { ready: true }]);
});

test('the token check is cached: 20 probes within cacheMs ask for a token once; after it, again', async () => {
  const w = world();
  const probe = await serve(w.readiness, w.logger);
  const answers = await Promise.all(Array.from({ length: 10 }, probe));
  for (let i = 0; i < 10; i++) answers.push(await probe());
  const first = w.counts.defender;
  w.advance(5001);
  await probe();
  console.log(
    `readiness: 20 probes (10 concurrent) -> ${first} token check(s), ${w.counts.store} store checks; ` +
      `after cacheMs: ${w.counts.defender} token checks`,
  );
  expect(answers.every((a) => a.status === 200 && JSON.parse(a.text).ready === true)).toBe(true);
  expect(first).toBe(1);
  expect(w.counts.defender).toBe(2);
});

test('a cached failure is not retried on every probe either, and is logged once per check', async () => {
  const w = world();
  const probe = await serve(w.readiness, w.logger);
  w.faults.defender = new Error(AADSTS);
  for (let i = 0; i < 5; i++) expect((await probe()).status).toBe(503);
  expect(w.counts.defender).toBe(1);
  expect(w.logs.filter((l) => l.includes('AADSTS7000215'))).toHaveLength(1);
  w.faults.defender = undefined;
  w.advance(5001);
  expect((await probe()).status).toBe(200);
});
