/**
 * Requests for many devices in every state the bulk card has a distinct look for
 * (cards/bulk-card.ts): the snapshot tests and the README picture (scripts/card-views.ts)
 * use the same ones. A retired lab like the simulator's: 120 devices selected by a tag.
 */
import type { ActionStatus, Machine } from '../../bot/defender/types';
import type { OffboardRequest, RequestState, TargetExecution } from '../../bot/request/model';
import { TARGET_CANCELLED } from '../../bot/request/transitions';
import { approval, at, machine, people, request, target } from './requests';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const LAB_SIZE = 120;

const OS = ['Windows11', 'Windows10', 'Windows11', 'WindowsServer2019', 'Windows10', 'Windows11'];
const VERSION = ['23H2', '22H2', '22H2', '1809', '21H2', '24H2'];

export function labMachine(i: number): Machine {
  const n = String(i + 1).padStart(3, '0');
  return machine({
    id: (0xab0000 + i).toString(16).padStart(40, '0'),
    computerDnsName: `lab-${n}.contoso.local`,
    osPlatform: OS[i % OS.length],
    version: VERSION[i % VERSION.length],
    rbacGroupName: i % 4 === 3 ? 'Lab servers' : 'Lab machines',
    machineTags: ['lab-retired'],
    lastSeen: at(-(61 + (i % 60)) * 24 * HOUR),
  });
}

const action = (i: number) => `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`;

export const sent = (i: number, status: ActionStatus): TargetExecution => ({
  startedAt: at(-6 * MINUTE),
  actionId: action(i),
  actionStatus: status,
  checkedAt: at(-1 * MINUTE),
  ...(status === 'Failed'
    ? {
        error: {
          code: 'ActionFailed',
          message: 'Defender reported the offboarding action as Failed',
          target: action(i),
        },
      }
    : {}),
});

const refusedBeforeSend = (): TargetExecution => ({
  startedAt: at(-6 * MINUTE),
  error: { code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' },
});

const unknownOutcome = (): TargetExecution => ({
  startedAt: at(-6 * MINUTE),
  uncertain: true,
  error: {
    code: 'DefenderOutcomeUnknown',
    message: "Defender's answer could not be confirmed after 10 attempts.",
    unknownOutcome: true,
  },
});

const cancelledBeforeSend = (): TargetExecution => ({
  startedAt: at(-6 * MINUTE),
  error: { code: TARGET_CANCELLED, message: 'Cancelled by Riya Requester before it was sent to Defender.' },
});

/** A bulk request of LAB_SIZE lab devices; `execution(i)` gives device i's state. */
export function labRequest(
  state: RequestState,
  execution: (i: number) => TargetExecution = () => ({}),
  overrides: Partial<OffboardRequest> = {},
): OffboardRequest {
  return request({
    id: 'OFB-LAB120QX',
    state,
    comment: 'Lab B retired, devices returned to the vendor (CHG-2211)',
    targets: Array.from({ length: LAB_SIZE }, (_, i) => target(labMachine(i), execution(i))),
    bulk: {
      selectors: 'tag:lab-retired',
      listed: 0,
      refusedCounts: { unsupported_os: 3, open_request: 1 },
      refused: [
        { name: 'lab-mac-01.contoso.local', reason: 'unsupported_os' },
        { name: 'lab-mac-02.contoso.local', reason: 'unsupported_os' },
        { name: 'lab-ubuntu-01.contoso.local', reason: 'unsupported_os' },
        { name: 'lab-b-kiosk.contoso.local', reason: 'open_request' },
      ],
    },
    ...overrides,
  });
}

const approved = () => [approval(people.alice, -12 * MINUTE), approval(people.bob, -8 * MINUTE)];

/** Every bulk card state, by a readable name. */
export function bulkFixtures(): Record<string, OffboardRequest> {
  return {
    draft: labRequest('draft'),
    'awaiting approval, 1 approval': labRequest('awaiting_approval', undefined, {
      approvals: [approval(people.alice, -5 * MINUTE)],
    }),
    // 100 sent in the first minute's burst; 10 queued for the next minute, 10 not yet queued.
    'executing, queued with an ETA': labRequest(
      'executing',
      (i) =>
        i < 90
          ? sent(i, 'Pending')
          : i < 96
            ? sent(i, 'Succeeded')
            : i < 99
              ? refusedBeforeSend()
              : i < 100
                ? unknownOutcome()
                : i < 110
                  ? { startedAt: at(-1 * MINUTE), queuedUntil: at(40_000) }
                  : { startedAt: at(-1 * MINUTE) },
      { approvals: approved() },
    ),
    tracking: labRequest(
      'tracking',
      (i) => (i < 100 ? sent(i, 'Succeeded') : i < 118 ? sent(i, 'Pending') : sent(i, 'InProgress')),
      { approvals: approved() },
    ),
    'completed with failures': labRequest(
      'completed',
      (i) => (i % 35 === 34 ? sent(i, 'Failed') : i === 60 ? refusedBeforeSend() : sent(i, 'Succeeded')),
      { approvals: approved() },
    ),
    'cancelled with some sent': labRequest(
      'tracking',
      (i) => (i < 70 ? sent(i, 'Succeeded') : i < 100 ? sent(i, 'Pending') : cancelledBeforeSend()),
      { approvals: approved(), cancellation: { by: people.requester, at: at(-2 * MINUTE) } },
    ),
    expired: labRequest('expired', undefined, { expiresAt: at(-1 * HOUR) }),
  };
}
