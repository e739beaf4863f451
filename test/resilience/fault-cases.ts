import type { SimMachine } from '../../sandbox/defender';
import { actionsOn, offboardPosts } from './defender-log';
import type { Rig } from './rig';
import * as teams from './teams-driver';

/** One request of a fault test: its device, thread and id. */
export interface Case {
  label: string;
  device: SimMachine;
  rootId: string;
  requestId: string;
}

export async function prepareCases(rig: Rig, devices: SimMachine[], labels: string[]): Promise<Case[]> {
  return Promise.all(
    labels.map(async (label, i) => {
      const device = devices.shift()!;
      const rootId = `fault-${label.replace(/\W+/g, '-')}-${i}-${Date.now()}`;
      return {
        label,
        device,
        rootId,
        requestId: await teams.oneApprovalAway(rig.teams, device.computerDnsName, rootId),
      };
    }),
  );
}

/**
 * How a request ended, as the people in its thread and Defender see it. `effectivePosts`
 * are offboard POSTs Defender acted on (it created an action): the number that must be 1.
 */
export async function outcome(rig: Rig, c: Case) {
  const s = (await rig.runtime.store.get(c.requestId))!;
  const e = s.targets[0]!.execution;
  const replies = teams.finalNotices(rig.connector, c.requestId);
  const posts = offboardPosts(rig.sim, c.device.id);
  return {
    label: c.label,
    state: s.state,
    actionStatus: e.actionStatus,
    actions: actionsOn(rig.sim, c.device.id).length,
    posts: posts.length,
    postStatuses: posts.map((p) => p.status),
    finalReplies: replies.length,
    reply: String(replies[0]?.activity.text ?? ''),
    card: teams.cardNow(rig.connector, s.conversation.cardActivityId),
    adopted: s.history.some((h) => h.event === 'action_found'),
  };
}

export type Outcome = Awaited<ReturnType<typeof outcome>>;

export async function finalOutcomes(rig: Rig, cases: Case[], timeoutMs = 45_000): Promise<Outcome[]> {
  await Promise.all(cases.map((c) => teams.waitFinal(rig.connector, c.requestId, timeoutMs)));
  await rig.runtime.offboarding.idle();
  return Promise.all(cases.map((c) => outcome(rig, c)));
}

/**
 * Every recovered request: offboarded with exactly one action on its device (whatever
 * POSTs failed before doing anything), and the thread and the card say Succeeded.
 */
export function expectSucceededOnce(outcomes: Outcome[]): void {
  for (const o of outcomes) {
    const seen = {
      label: o.label,
      state: o.state,
      actionStatus: o.actionStatus,
      actions: o.actions,
      finalReplies: o.finalReplies,
      replySucceeded: /Succeeded/.test(o.reply),
      cardSucceeded: o.card.includes('"text":"Succeeded"'),
    };
    expect(seen).toEqual({
      label: o.label,
      state: 'completed',
      actionStatus: 'Succeeded',
      actions: 1,
      finalReplies: 1,
      replySucceeded: true,
      cardSucceeded: true,
    });
  }
}

export const summary = (outcomes: Outcome[]) =>
  outcomes
    .map(
      (o) =>
        `${o.label}: ${o.state}/${o.actionStatus}, POSTs ${JSON.stringify(o.postStatuses)}${o.adopted ? ' (adopted)' : ''}`,
    )
    .join('; ');

/** A card that tells its readers the bot is retrying. */
export const SHOWS_RETRY = /retr(y|ies|ying)|tr(y|ying) again|will try/i;
/** A card that tells its readers something is wrong with the Defender call. */
export const SHOWS_PROBLEM =
  /retr(y|ies|ying)|tr(y|ying) again|could not|couldn't|not answer|forbidden|permission|denied/i;
