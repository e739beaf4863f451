/**
 * Standalone simulator: `npx tsx sandbox/defender/main.ts` (or `npm run simulator`).
 * Reads its settings from the environment; this is a separate entry point from
 * index.ts (the bot's composition root), so reading process.env here is deliberate.
 *
 *   SIMULATOR_PORT            port on 127.0.0.1 (default 3979)
 *   SIMULATOR_ACTION_SECONDS  seconds for an offboard to finish (default 20)
 *   SIM_LATENCY_MS            extra latency on every response (default 0)
 *   SIM_ERROR_RATE            0..1 chance of a 500 per call (default 0)
 *   SIM_STORM_429             the first N calls get 429 (Retry-After 5 s)
 *   SIM_CREATE_THEN_FAIL      the first N offboards are created, then answered 500
 */
import { SIM, startDefenderSimulator, type Faults } from './index';

function num(name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) {
    console.error(`Invalid ${name}=${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const count = (n: number): boolean => Number.isInteger(n) && n >= 0;
  const port = num('SIMULATOR_PORT', 3979, (n) => count(n) && n < 65536);
  const actionSeconds = num('SIMULATOR_ACTION_SECONDS', 20, (n) => n >= 0);
  const storm = num('SIM_STORM_429', 0, count);
  const faults: Faults = {
    latencyMs: num('SIM_LATENCY_MS', 0, (n) => n >= 0),
    errorRate: num('SIM_ERROR_RATE', 0, (n) => n >= 0 && n <= 1),
    createThenFail: num('SIM_CREATE_THEN_FAIL', 0, count),
    ...(storm > 0 ? { storm429: { remaining: storm, retryAfterSeconds: 5 } } : {}),
  };
  const sim = await startDefenderSimulator({ port, actionSeconds, faults });
  console.log(`Defender simulator listening on ${sim.url} (API base; paths /api/...)`);
  console.log(`  ${sim.machines.length} devices, e.g. ${SIM.healthy.name} (${SIM.healthy.id})`);
  console.log(`  offboard takes ${actionSeconds}s; any non-empty bearer token is accepted`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the Defender simulator`);
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
