import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BODY_BYTES } from '../../bot/server';
import { killAllChildBots, startChildBot, type ChildBot } from '../fakes/child-bot';

/**
 * Nothing reaches the disk before authentication (issue #10, item 1). restify's
 * bodyParser skipped its size check for multipart bodies and wrote their file parts to
 * the temp folder, never deleting them. The real bot (`index.ts`) runs in a child
 * process whose TMPDIR is a folder this test watches; hostile bodies of every kind
 * (multipart, form-encoded, chunked, oversized) must each get a 4xx and leave that
 * folder as it was.
 */
jest.setTimeout(60_000);

let bot: ChildBot;
let temp: string;
let dataDir: string;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'offboarder-tmpdir-'));
  dataDir = mkdtempSync(join(tmpdir(), 'offboarder-tmpdir-data-'));
  bot = await startChildBot({
    env: {
      PLAYGROUND: 'false',
      PORT: '0',
      SIMULATOR_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      TMPDIR: temp,
    },
  });
});

afterAll(async () => {
  await killAllChildBots();
  rmSync(temp, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every path under `dir`, recursively (tsx may keep a compile cache here: it must not grow). */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/**
 * A raw POST: node's http client, so the body can be chunked (no Content-Length) or
 * announced with any headers. A connection the bot closes while the body is still
 * being sent counts as refused only if a status line arrived first.
 */
function post(
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number | undefined; error?: string }> {
  return new Promise((resolve) => {
    const req = request(
      `${bot.url}/api/messages`,
      { method: 'POST', headers: { connection: 'close', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
        res.on('error', () => resolve({ status: res.statusCode }));
      },
    );
    req.on('error', (e) => resolve({ status: undefined, error: e.message }));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const BOUNDARY = 'offboarder-test-boundary';
function multipart(fileBytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.alloc(fileBytes, 0x41),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** A body split in 16 kB pieces, sent without Content-Length (Transfer-Encoding: chunked). */
const pieces = (b: Buffer) =>
  Array.from({ length: Math.ceil(b.length / 16384) }, (_, i) => b.subarray(i * 16384, (i + 1) * 16384));

const activityJson = (pad: number) =>
  Buffer.from(JSON.stringify({ type: 'message', channelId: 'msteams', text: 'help', pad: 'x'.repeat(pad) }));

test('multipart, form-encoded, chunked and oversized bodies: each 4xx, nothing left in TMPDIR', async () => {
  const before = listing(temp);
  const mp = multipart(600 * 1024);
  const cases: Array<[string, Record<string, string>, Buffer[]]> = [
    [
      'multipart with a 600 kB file part',
      { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(mp.length) },
      [mp],
    ],
    [
      'multipart with a 100 kB file part',
      { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      [multipart(100 * 1024)],
    ],
    ['multipart, chunked', { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, pieces(mp)],
    [
      'form-encoded',
      { 'content-type': 'application/x-www-form-urlencoded' },
      [Buffer.from(`type=message&text=${'a'.repeat(200_000)}`)],
    ],
    [
      'JSON over the limit, chunked',
      { 'content-type': 'application/json' },
      pieces(activityJson(MAX_BODY_BYTES + 1)),
    ],
    [
      'JSON over the limit, with Content-Length',
      {
        'content-type': 'application/json',
        'content-length': String(activityJson(MAX_BODY_BYTES + 1).length),
      },
      [activityJson(MAX_BODY_BYTES + 1)],
    ],
    ['octet-stream', { 'content-type': 'application/octet-stream' }, [Buffer.alloc(300 * 1024, 1)]],
  ];
  const results: string[] = [];
  const statuses: Array<[string, number | undefined]> = [];
  for (const [name, headers, chunks] of cases) {
    const r = await post(headers, chunks);
    statuses.push([name, r.status]);
    results.push(`${name}: ${r.status ?? r.error}`);
  }
  await new Promise((r) => setTimeout(r, 200));
  const added = listing(temp).filter((p) => !before.includes(p));
  console.log(
    `body-tmpdir: ${cases.length} hostile bodies to the child bot (TMPDIR watched): ` +
      `${statuses.filter(([, s]) => s !== undefined && s >= 400 && s < 500).length} answered 4xx, ` +
      `${added.length} new entries in TMPDIR\n${results.join('\n')}`,
  );
  expect(added).toEqual([]);
  for (const [name, status] of statuses) {
    expect([name, status !== undefined && status >= 400 && status < 500]).toEqual([name, true]);
  }
});

test('the bot is still answering afterwards (a small chunked JSON body is read)', async () => {
  const r = await post({ 'content-type': 'application/json; charset=utf-8' }, pieces(activityJson(10)));
  // Not a full activity (no serviceUrl / conversation): the bot reads it and refuses or accepts it, never 413/415.
  expect(r.status).toBeDefined();
  expect([413, 415]).not.toContain(r.status);
});
