import { VERBS } from '../cards/verbs';
import { simMachineId, startDefenderSimulator, type CallLogEntry } from '../sandbox/defender';
import { OPEN_LIMITS, click, expectAfter, openAndSubmit, startBenchBot } from './lib/bot';
import { startBenchConnector } from './lib/connector';
import { benchFleet, benchFqdn, benchName } from './lib/fleet';
import { runMain } from './lib/results';
import { fmtSummary, hiResNow, summarize, until } from './lib/stats';

/**
 * Part 3: the deciding approval click (invoke POST sent) → the offboard POST reaching
 * Defender, with rate budget available. Between the two the bot stores the approval
 * and the move to `executing` in one compare-and-set write, looks for an Offboard
 * action already on the device (one listActions read), then posts. The simulator is
 * given the real clock at sub-millisecond resolution, so its call log `at` and the
 * click time are on one time line. One request at a time, as approvals come in life.
 */
const REQUESTS = 100;
const WARMUP = 20;

export async function runApproval() {
  const sim = await startDefenderSimulator({
    fleet: benchFleet(WARMUP + REQUESTS),
    limits: OPEN_LIMITS,
    clock: { now: hiResNow },
  });
  const connector = await startBenchConnector();
  // 'open' limiter: budget is always available, so no call waits for the limiter.
  const bot = await startBenchBot({ sim, limiter: 'open' });
  const url = bot.runtime.botUrl;
  const toLookup: number[] = [];
  const toPost: number[] = [];
  const answered: number[] = [];
  let errors = 0;
  try {
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const rootId = `a-${i}`;
      try {
        const { requestId, cardId } = await openAndSubmit(url, connector, rootId, benchName(i));
        await expectAfter(connector, `update:${cardId}`, () =>
          click(url, connector, 'casey', VERBS.approve, { requestId }, rootId, cardId),
        );
        const machineId = simMachineId(benchFqdn(i));
        const from = sim.calls.length;
        const t0 = hiResNow();
        const res = await click(url, connector, 'devon', VERBS.approve, { requestId }, rootId, cardId);
        const t1 = hiResNow();
        if (res.status !== 200) throw new Error(`deciding click: HTTP ${res.status}`);
        let post: CallLogEntry | undefined;
        const find = () =>
          (post = sim.calls
            .slice(from)
            .find((c) => c.operation === 'offboard' && c.path.includes(machineId)));
        await until(() => Boolean(find()), 10_000, `the offboard POST for ${rootId}`);
        const lookup = sim.calls
          .slice(from)
          .find((c) => c.operation === 'listActions' && c.query.includes(machineId));
        if (i < WARMUP) continue;
        answered.push(t1 - t0);
        toPost.push(post!.at - t0);
        if (lookup) toLookup.push(lookup.at - t0);
      } catch (e) {
        errors++;
        if (errors === 1) console.error('approval bench error:', (e as Error).message);
      }
    }
    const result = {
      requests: REQUESTS,
      errors,
      limiter: 'open (see turns)',
      clickToOffboardPostMs: summarize(toPost),
      clickToActionLookupMs: summarize(toLookup),
      decidingInvokeResponseMs: summarize(answered),
    };
    console.log(`deciding click → offboard POST at Defender: ${fmtSummary(result.clickToOffboardPostMs)}`);
    console.log(`deciding click → listActions look-up:      ${fmtSummary(result.clickToActionLookupMs)}`);
    console.log(`deciding click → invoke answer:            ${fmtSummary(result.decidingInvokeResponseMs)}`);
    return result;
  } finally {
    await bot.close();
    await connector.close();
    await sim.close();
  }
}

runMain(module, 'approval', runApproval);
