import { createInterface } from 'node:readline';
import { startDefenderSimulator } from '../../sandbox/defender';
import { benchFleet } from './fleet';

/** The child side of sim-process.ts: prints {"url"} once, answers each `reset` line, ends with stdin. */
async function main() {
  const sim = await startDefenderSimulator({
    fleet: benchFleet(Number(process.env.SIM_FLEET)),
    limits: JSON.parse(process.env.SIM_LIMITS ?? '{}') as { perMinute: number; perHour: number },
  });
  process.stdout.write(JSON.stringify({ url: sim.url }) + '\n');
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() === 'reset') sim.reset();
    process.stdout.write('ok\n');
  });
  input.on('close', () => void sim.close().then(() => process.exit(0)));
}

void main();
