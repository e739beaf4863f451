import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ATTR, METRIC, SPAN } from '../../bot/telemetry/names';
import { SIM, startDefenderSimulator, type DefenderSimulator } from '../../sandbox/defender';
import { killAllChildBots, startChildBot } from '../fakes/child-bot';
import { startFakeConnector, type FakeConnector } from '../fakes/connector';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';
import * as teams from '../resilience/teams-driver';

/**
 * Telemetry end to end (issue 15, §2): the real bot as a child process, exporting to a
 * local OTLP/HTTP receiver, runs one offboarding that meets a 429 from Defender; the
 * receiver gets the spans and metrics README's "Telemetry" section names. With nothing
 * configured, no OpenTelemetry module is loaded at all.
 */
jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '../..');
const PRELOAD = `--require ${join(ROOT, 'test/support/loaded-modules.cjs')}`;
const TELEMETRY_MODULE = /node_modules\/(@opentelemetry|@azure\/monitor-opentelemetry)\//;

let dir: string;
let sim: DefenderSimulator;
let connector: FakeConnector;
let otlp: OtlpReceiver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offboarder-otel-'));
  sim = await startDefenderSimulator({ actionSeconds: 1 });
  connector = await startFakeConnector();
  otlp = await startOtlpReceiver();
});
afterAll(async () => {
  await killAllChildBots();
  await otlp.close();
  await connector.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (name: string, extra: Record<string, string>) => ({
  PLAYGROUND: 'false',
  PORT: '0',
  DATA_DIR: join(dir, name),
  SIMULATOR_URL: sim.url,
  LOG_LEVEL: 'info',
  TRACKING_FIRST_CHECK_SECONDS: '1',
  TRACKING_MAX_INTERVAL_SECONDS: '1',
  NODE_OPTIONS: PRELOAD,
  LOADED_MODULES_FILE: join(dir, `${name}.modules`),
  ...extra,
});
const loaded = (name: string) => readFileSync(join(dir, `${name}.modules`), 'utf8').split('\n');

it('with nothing configured, no exporter (no OpenTelemetry module at all) is loaded', async () => {
  const bot = await startChildBot({ env: env('idle', {}) });
  expect(
    (
      await teams.say(
        { connector, serviceUrl: connector.url, botUrl: () => bot.url },
        'alex',
        'help',
        teams.thread('idle'),
      )
    ).status,
  ).toBe(200);
  expect(await bot.stop()).toBe(0);
  const modules = loaded('idle');
  expect(modules.length).toBeGreaterThan(100);
  expect(modules.filter((m) => TELEMETRY_MODULE.test(m))).toEqual([]);
});

it('one offboarding: its spans and metrics reach an OTLP/HTTP receiver, under the documented names', async () => {
  const bot = await startChildBot({
    env: env('otlp', { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_METRIC_EXPORT_INTERVAL: '500' }),
  });
  const t: teams.Teams = { connector, serviceUrl: connector.url, botUrl: () => bot.url };
  const rootId = 'otel';
  const requestId = await teams.oneApprovalAway(t, SIM.healthy.name, rootId);
  // The offboard call meets one 429 (a retry after Retry-After).
  sim.setFaults({ storm429: { remaining: 1, retryAfterSeconds: 1, operations: ['offboard'] } });
  // Past botframework-connector's own three retries, so the bot's send retry runs.
  connector.faults.failNext = { count: 4, status: 503 };
  await teams.decide(t, requestId, rootId);
  const reply = await teams.waitFinal(connector, requestId, 30_000);
  expect(String(reply.activity.text)).toMatch(/Succeeded/);
  expect(await bot.stop()).toBe(0);
  expect(loaded('otlp').some((m) => TELEMETRY_MODULE.test(m))).toBe(true);

  const { spans, points } = otlp;
  const names = new Set(spans.map((s) => s.name));
  for (const name of [
    SPAN.turn,
    SPAN.click,
    'store.create',
    'store.get',
    'store.update',
    'defender.offboard',
    'defender.getAction',
  ])
    expect(names).toContain(name);
  expect(spans.every((s) => s.resource['service.name'] === 'offboarder')).toBe(true);

  // The deciding click's trace holds the store and Defender spans, all with the request id.
  const offboards = spans.filter((s) => s.name === 'defender.offboard');
  expect(offboards.map((s) => s.attributes[ATTR.status]).sort()).toEqual([201, 429]);
  expect(offboards.map((s) => s.attributes[ATTR.attempt]).sort()).toEqual([1, 2]);
  const click = spans.find((s) => s.spanId === offboards[0]!.parentSpanId);
  expect(click?.name).toBe(SPAN.click);
  expect(click?.attributes[ATTR.requestId]).toBe(requestId);
  expect(click?.attributes[ATTR.verb]).toBeTruthy();
  const inTrace = spans.filter((s) => s.traceId === click!.traceId && s.spanId !== click!.spanId);
  expect(inTrace.some((s) => s.name.startsWith(SPAN.storePrefix))).toBe(true);
  expect(inTrace.every((s) => s.attributes[ATTR.requestId] === requestId)).toBe(true);
  expect(offboards.every((s) => typeof s.attributes[ATTR.queueWaitMs] === 'number')).toBe(true);

  const metric = (name: string) => points.filter((p) => p.metric === name);
  const states = new Set(metric(METRIC.requests).map((p) => p.attributes[ATTR.state]));
  for (const state of ['draft', 'awaiting_approval', 'executing', 'tracking', 'completed'])
    expect(states).toContain(state);
  expect(metric(METRIC.decisionDuration).some((p) => p.attributes[ATTR.decision] === 'approved')).toBe(true);
  expect(metric(METRIC.completionDuration).some((p) => p.attributes[ATTR.state] === 'completed')).toBe(true);
  expect(
    metric(METRIC.defenderCalls).some(
      (p) => p.attributes[ATTR.operation] === 'offboard' && p.attributes[ATTR.status] === 429,
    ),
  ).toBe(true);
  expect(metric(METRIC.defenderThrottled).some((p) => p.attributes[ATTR.operation] === 'offboard')).toBe(
    true,
  );
  expect(metric(METRIC.defenderRetries).some((p) => p.attributes[ATTR.operation] === 'offboard')).toBe(true);
  expect(metric(METRIC.defenderDuration).length).toBeGreaterThan(0);
  expect(metric(METRIC.queueWait).length).toBeGreaterThan(0);
  expect(metric(METRIC.queueLength).some((p) => p.kind === 'gauge')).toBe(true);
  expect(metric(METRIC.deliveryRetries).some((p) => p.value >= 1)).toBe(true);

  // Every name that arrived is one README documents, and every documented name is a real one.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Telemetry'));
  const sent = new Set([
    ...spans.map((s) => s.name.replace(/^(store|defender)\..*/, '$1.')),
    ...points.map((p) => p.metric),
  ]);
  const undocumented = [...sent].filter((n) => !section.includes(`\`${n}`));
  expect(undocumented).toEqual([]);
  for (const name of Object.values(METRIC)) expect(section).toContain(`\`${name}\``);
  console.log(
    `telemetry: ${spans.length} spans (${[...names].sort().join(', ')}), ${points.length} metric points ` +
      `(${[...new Set(points.map((p) => p.metric))].sort().join(', ')}) from one offboarding with one 429`,
  );
});
