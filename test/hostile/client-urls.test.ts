import fc from 'fast-check';
import { createDefenderClient, type DefenderClient } from '../../bot/defender/client';
import { InvalidInputError } from '../../bot/defender/odata';
import type { RateLimiter } from '../../bot/defender/rate-limiter';
import { staticTokenProvider } from '../../bot/defender/token';
import { silentLogger } from '../../bot/log';
import { hasLoneSurrogate, hostileText, nearMachineId } from './support/hostile-strings';
import { ONE_LITERAL_STARTSWITH, readDefenderUrl, startsWithLiteral } from './support/defender-urls';
import { startRecordingServer, type RecordingServer } from './support/recording-server';

/**
 * The Defender client's lookups over real HTTP, against a server that records each
 * request-target as it arrived. For every generated name or id: either a typed
 * InvalidInputError and no request at all, or exactly one GET whose path is
 * /api/machines or /api/machines/<40 hex> and whose filter parses back to exactly one
 * startswith literal holding the (trimmed, lower-cased) input.
 */
let rec: RecordingServer;
let client: DefenderClient;

/** Pacing is not under test here, and the limiter's per-call queueing would
 * cut the number of inputs that fit in a few seconds by four. */
const noLimits: RateLimiter = {
  schedule: (_op, fn) => fn(),
  pause: () => undefined,
  estimate: () => ({ position: 1, estimatedStartMs: Date.now(), waitMs: 0 }),
  snapshot: () => ({ waiting: 0, startsInLastHour: 0 }),
  stop: async () => undefined,
};

beforeAll(async () => {
  rec = await startRecordingServer();
  client = createDefenderClient({
    baseUrl: rec.url,
    tokenProvider: staticTokenProvider('hostile-test-token'),
    limiter: noLimits,
    logger: silentLogger(),
    timeoutMs: 5_000,
    retry: { baseDelayMs: 1, random: () => 0.5 },
  });
});
afterAll(async () => {
  await rec.close();
});

const figures = { tried: 0, requests: 0, refused: 0, surrogates: 0 };
afterAll(() => {
  console.log(
    `hostile-input: Defender client: ${figures.tried} generated names/ids over HTTP, ${figures.requests} requests ` +
      `recorded, 0 unexpected paths, 0 unbalanced literals, ${figures.refused} typed refusals ` +
      `(${figures.surrogates} lone-surrogate inputs set aside)`,
  );
});

async function outcome(call: () => Promise<unknown>): Promise<{ error?: unknown; urls: string[] }> {
  const before = rec.requests.length;
  try {
    await call();
    return { urls: rec.requests.slice(before).map((r) => r.url) };
  } catch (error) {
    return { error, urls: rec.requests.slice(before).map((r) => r.url) };
  }
}

function expectRefusal(o: { error?: unknown; urls: string[] }): void {
  expect(o.error).toBeInstanceOf(InvalidInputError);
  expect((o.error as InvalidInputError).chatMessage).toMatch(/\w{3,}/);
  expect(o.urls).toEqual([]); // refused before anything was sent
  figures.refused++;
}

function expectOneStartsWith(o: { error?: unknown; urls: string[] }, literal: string, top?: number): void {
  expect(o.error).toBeUndefined();
  expect(o.urls).toHaveLength(1);
  const url = readDefenderUrl(o.urls[0]!);
  if (url.kind !== 'machines') throw new Error(`expected /api/machines, got ${url.kind}`);
  expect(url.filterText).toMatch(ONE_LITERAL_STARTSWITH);
  expect(startsWithLiteral(url.filter)).toBe(literal);
  expect(url.top).toBe(top);
  figures.requests++;
}

const usable = hostileText.filter((s) => !hasLoneSurrogate(s) || (figures.surrogates++, false));

test('findMachinesByName and searchMachinesByPrefix: one request, one literal, or a typed refusal', async () => {
  await fc.assert(
    fc.asyncProperty(usable, async (name) => {
      figures.tried++;
      const wanted = name.trim();
      // eslint-disable-next-line no-control-regex
      const invalid = !wanted || wanted.length > 255 || /[\u0000-\u001f\u007f-\u009f]/.test(wanted);
      const byName = await outcome(() => client.findMachinesByName(name));
      const byPrefix = await outcome(() => client.searchMachinesByPrefix(name, 5));
      if (invalid) {
        expectRefusal(byName);
        expectRefusal(byPrefix);
        return;
      }
      expectOneStartsWith(byName, wanted.toLowerCase().replace(/\.$/, ''));
      expectOneStartsWith(byPrefix, wanted.toLowerCase(), 5);
    }),
    { numRuns: 1500 },
  );
});

test('getMachine: the path is /api/machines/<40 hex> or nothing is sent', async () => {
  await fc.assert(
    fc.asyncProperty(nearMachineId, async (id) => {
      if (hasLoneSurrogate(id)) return;
      figures.tried++;
      const o = await outcome(() => client.getMachine(id));
      if (!/^[0-9a-f]{40}$/i.test(id)) return expectRefusal(o);
      expect(o.error).toBeUndefined(); // the recording server answers 404: "no such device"
      expect(o.urls).toEqual([`/api/machines/${id}`]);
      expect(readDefenderUrl(o.urls[0]!)).toEqual({ kind: 'machine', id });
      figures.requests++;
    }),
    { numRuns: 1500 },
  );
});

test('a name with a lone surrogate gets a typed refusal, not a URIError, and sends nothing', async () => {
  // Unreachable from chat (the command parser refuses surrogates), but odata.ts is the
  // one gate for text in URLs: encodeURIComponent throws URIError on a lone surrogate.
  const o = await outcome(() => client.findMachinesByName('ws-\ud800'));
  console.log(
    `hostile-input: lone surrogate name: ${o.error instanceof InvalidInputError ? 'typed refusal' : String(o.error)}`,
  );
  expectRefusal(o);
});
