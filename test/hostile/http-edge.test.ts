import { gzipSync } from 'node:zlib';
import { MAX_BODY_BYTES } from '../../bot/server';
import { startHarness, type Harness } from '../fakes/harness';
import { messageActivity, user } from '../fakes/teams';

/**
 * The HTTP edge of /api/messages (bot/server.ts): bodies that are too large (413), not
 * declared as JSON (415), or JSON that does not parse or is not an activity (400) are
 * refused before any handler runs, so the bot neither replies (fake connector) nor
 * looks anything up (simulator).
 */
jest.setTimeout(30_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await h.close();
});

const activity = (text: string) =>
  messageActivity({
    serviceUrl: h.connector.url,
    from: user('alex'),
    text,
    where: { kind: 'personal', userKey: 'alex' },
  });

async function post(body: string | Buffer, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${h.runtime.botUrl}/api/messages`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}

/** Runs `send` and asserts no handler ran: nothing posted to Teams, nothing asked of Defender. */
async function refusedAtEdge(send: () => Promise<number>): Promise<number> {
  const sent = h.connector.sent.length;
  const calls = h.sim.calls.length;
  const status = await send();
  await new Promise((r) => setTimeout(r, 50));
  expect(h.connector.sent.length).toBe(sent);
  expect(h.sim.calls.length).toBe(calls);
  return status;
}

const JSON_TYPE = { 'content-type': 'application/json' };

test('a well-formed activity is answered (control for the cases below)', async () => {
  const sent = h.connector.sent.length;
  expect(await post(JSON.stringify(activity('help')), JSON_TYPE)).toBe(200);
  await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= sent);
  console.log('http-edge: 1 well-formed activity answered 200 with a reply (control)');
});

test('bodies over MAX_BODY_BYTES get 413', async () => {
  const big = JSON.stringify(activity(`offboard ws-042 ${'x'.repeat(MAX_BODY_BYTES)}`));
  expect(await refusedAtEdge(() => post(big, JSON_TYPE))).toBe(413);
  console.log(`http-edge: 1 body of ${Math.round(big.length / 1024)} kB, refused with 413, 0 handler runs`);
});

test('a gzip body that inflates past MAX_BODY_BYTES is refused (restify counts compressed bytes only)', async () => {
  const inflated = JSON.stringify(activity(`help ${'a'.repeat(20_000_000)}`));
  const body = gzipSync(Buffer.from(inflated));
  const sent = h.connector.sent.length;
  const status = await post(body, { ...JSON_TYPE, 'content-encoding': 'gzip' });
  await new Promise((r) => setTimeout(r, 50));
  const replies = h.connector.sent.length - sent;
  console.log(
    `http-edge: gzip body of ${Math.round(body.length / 1024)} kB inflating to ` +
      `${Math.round(inflated.length / 1e6)} MB answered ${status}, ${replies} handler replies`,
  );
  // 413 (too large once inflated) or 415 (no compressed bodies at all): both refuse it.
  expect({ refused: status === 413 || status === 415, replies }).toEqual({ refused: true, replies: 0 });
});

test('bodies that are not declared as JSON get 415 before they are read', async () => {
  const valid = JSON.stringify(activity('help'));
  const cases: Array<[string, string | Buffer, Record<string, string>]> = [
    ['text/plain holding JSON', valid, { 'content-type': 'text/plain' }],
    ['no content type', valid, {}],
    ['form-encoded', 'type=message&text=help', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', '--b\r\n\r\nhelp\r\n--b--', { 'content-type': 'multipart/form-data; boundary=b' }],
    ['XML', '<activity type="message"/>', { 'content-type': 'application/xml' }],
    ['JSON in another charset', valid, { 'content-type': 'application/json; charset=utf-16' }],
    ['JSON with a made-up parameter', valid, { 'content-type': 'application/json; boundary=x' }],
    ['a JSON look-alike type', valid, { 'content-type': 'application/jsonx' }],
  ];
  const statuses: string[] = [];
  for (const [name, body, headers] of cases) {
    const status = await refusedAtEdge(() => post(body, headers));
    statuses.push(`${name}: ${status}`);
    expect([name, status]).toEqual([name, 415]);
  }
  console.log(
    `http-edge: ${cases.length} bodies not declared as JSON, ${cases.length} answered 415, 0 handler runs (${statuses.join('; ')})`,
  );
});

test('application/json with a UTF-8 charset is accepted', async () => {
  const sent = h.connector.sent.length;
  const status = await post(JSON.stringify(activity('help')), {
    'content-type': 'Application/JSON; Charset="UTF-8"',
  });
  expect(status).toBe(200);
  await h.connector.waitFor((a) => h.connector.sent.indexOf(a) >= sent);
});

test('JSON bodies that do not parse get 400', async () => {
  const valid = JSON.stringify(activity('help'));
  const cases: Array<[string, string | Buffer, Record<string, string>]> = [
    ['truncated JSON', valid.slice(0, -5), JSON_TYPE],
    ['JSON with a trailing comma', '{"type":"message",}', JSON_TYPE],
    ['a JSON array', JSON.stringify([activity('help')]), JSON_TYPE],
    ['a JSON string', '"help"', JSON_TYPE],
    ['a JSON number', '42', JSON_TYPE],
    ['JSON null', 'null', JSON_TYPE],
    ['an empty body', '', JSON_TYPE],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]), JSON_TYPE],
    [
      'invalid UTF-8 inside a string',
      Buffer.from([...Buffer.from('{"type":"message","text":"'), 0xc3, 0x28, 0x22, 0x7d]),
      JSON_TYPE,
    ],
  ];
  const statuses: string[] = [];
  for (const [name, body, headers] of cases) {
    const status = await refusedAtEdge(() => post(body, headers));
    statuses.push(`${name}: ${status}`);
    expect([name, status]).toEqual([name, 400]);
  }
  console.log(
    `http-edge: ${cases.length} malformed JSON bodies, ${cases.length} answered 400, 0 handler runs (${statuses.join('; ')})`,
  );
});

test('JSON objects that are not activities get 400, not 500', async () => {
  const cases = [{}, { foo: 1 }, { type: 42 }, { type: null }, { ...activity('help'), type: undefined }];
  const statuses = [];
  for (const body of cases) statuses.push(await refusedAtEdge(() => post(JSON.stringify(body), JSON_TYPE)));
  console.log(
    `http-edge: ${cases.length} JSON objects without an activity type answered ${statuses.join(', ')}`,
  );
  expect(statuses).toEqual(cases.map(() => 400));
});

test('other methods and content encodings are refused', async () => {
  const get = await refusedAtEdge(async () => (await fetch(`${h.runtime.botUrl}/api/messages`)).status);
  expect(get).toBeGreaterThanOrEqual(400);
  const deflate = await refusedAtEdge(() =>
    post(JSON.stringify(activity('help')), { ...JSON_TYPE, 'content-encoding': 'deflate' }),
  );
  expect(deflate).toBe(415);
  console.log(`http-edge: GET answered ${get}, a deflate body answered ${deflate}, 0 handler runs`);
});
