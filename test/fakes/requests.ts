import type { Clock } from '../../bot/clock';
import type {
  Approval,
  OffboardRequest,
  Person,
  RequestState,
  Target,
  TargetExecution,
} from '../../bot/request/model';
import type { Machine } from '../../bot/defender/types';
import type { PolicySettings } from '../../bot/offboarding/ports';

/**
 * Request fixtures on a fixed clock: one builder, and a named request for every state
 * the card shows. Each call returns fresh objects, so a test may change what it gets.
 */

export const NOW = Date.parse('2026-11-29T14:05:00.000Z');
export const fixedClock: Clock = { now: () => NOW };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** ISO time `ms` from NOW (negative: in the past). */
export function at(ms: number): string {
  return new Date(NOW + ms).toISOString();
}

export const people = {
  requester: {
    aadObjectId: '00000000-0000-0000-0000-0000000000a1',
    name: 'Riya Requester',
    teamsId: '29:riya',
  },
  alice: { aadObjectId: '00000000-0000-0000-0000-0000000000a2', name: 'Alice Approver', teamsId: '29:alice' },
  bob: { aadObjectId: '00000000-0000-0000-0000-0000000000a3', name: 'Bob Approver', teamsId: '29:bob' },
} satisfies Record<string, Person>;

/** The policy these people live under: the requester may ask, Alice and Bob approve, two needed. */
export function peoplePolicy(tenantId = 'tenant-1'): PolicySettings {
  return {
    roster: {
      requesters: new Set([people.requester.aadObjectId]),
      approvers: new Set([people.alice.aadObjectId, people.bob.aadObjectId]),
      allowedTenantIds: new Set([tenantId]),
    },
    approvalsRequired: 2,
    ttlMs: 24 * 3600_000,
    draftTtlMs: 24 * 3600_000,
  };
}

export function machine(overrides: Partial<Machine> = {}): Machine {
  return {
    id: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
    computerDnsName: 'ws-042.contoso.local',
    osPlatform: 'Windows11',
    version: '22H2',
    osBuild: 22621,
    healthStatus: 'Active',
    onboardingStatus: 'Onboarded',
    riskScore: 'Medium',
    exposureLevel: 'Low',
    lastSeen: at(-2 * HOUR),
    firstSeen: '2025-03-01T08:00:00.000Z',
    machineTags: ['Finance', 'Laptop'],
    rbacGroupName: 'Workstations',
    rbacGroupId: 42,
    ...overrides,
  };
}

export function target(m: Machine = machine(), execution: TargetExecution = {}): Target {
  return { machineId: m.id, computerDnsName: m.computerDnsName, machine: m, execution };
}

export function approval(by: Person, ms: number): Approval {
  return { by, at: at(ms) };
}

/** A draft as the bot first posts it; override any field to move it along. */
export function request(overrides: Partial<OffboardRequest> = {}): OffboardRequest {
  return {
    id: 'req-7f3a9c',
    version: 1,
    tenantId: 'tenant-1',
    state: 'draft',
    requester: people.requester,
    approvalsRequired: 2,
    approvals: [],
    createdAt: at(-30 * MINUTE),
    updatedAt: at(-30 * MINUTE),
    expiresAt: at(24 * HOUR - 30 * MINUTE),
    conversation: { conversationId: '19:channel@thread.tacv2', reference: {}, threadRootId: '1700000000000' },
    targets: [target()],
    history: [],
    ...overrides,
  };
}

const COMMENT = 'INC-4711: laptop stolen on 2026-11-28, reported to police.\nWipe already sent from Intune.';
const approved = (): Approval[] => [approval(people.alice, -20 * MINUTE), approval(people.bob, -10 * MINUTE)];
const submitted = (state: RequestState, rest: Partial<OffboardRequest> = {}): OffboardRequest =>
  request({ state, comment: COMMENT, approvals: approved(), ...rest });

/** Every state the request card has a distinct look for, by a readable name. */
export function requestFixtures(): Record<string, OffboardRequest> {
  return {
    draft: request(),
    'draft with prefilled comment': request({ comment: COMMENT }),
    'awaiting approval, 0 approvals': request({ state: 'awaiting_approval', comment: COMMENT }),
    'awaiting approval, 1 approval': request({
      state: 'awaiting_approval',
      comment: COMMENT,
      approvals: [approval(people.alice, -5 * MINUTE)],
    }),
    executing: submitted('executing', { targets: [target(machine(), { startedAt: at(-1 * MINUTE) })] }),
    'executing, queued by the rate limit': submitted('executing', {
      targets: [target(machine(), { startedAt: at(-1 * MINUTE), queuedUntil: at(4 * MINUTE) })],
    }),
    'tracking, InProgress': submitted('tracking', {
      targets: [
        target(machine(), {
          startedAt: at(-8 * MINUTE),
          actionId: 'b89eb834-4578-496c-8be0-03f004061435',
          actionStatus: 'InProgress',
          checkedAt: at(-1 * MINUTE),
          nextCheckAt: at(1 * MINUTE),
          checks: 3,
        }),
      ],
    }),
    'completed, Succeeded': submitted('completed', {
      targets: [
        target(machine(), {
          startedAt: at(-30 * MINUTE),
          actionId: 'b89eb834-4578-496c-8be0-03f004061435',
          actionStatus: 'Succeeded',
          checkedAt: at(-2 * MINUTE),
        }),
      ],
    }),
    'completed, Failed with error': submitted('completed', {
      targets: [
        target(machine(), {
          startedAt: at(-30 * MINUTE),
          actionId: 'b89eb834-4578-496c-8be0-03f004061435',
          actionStatus: 'Failed',
          checkedAt: at(-2 * MINUTE),
          error: {
            code: 'ActionFailed',
            message: 'Defender reported the offboarding action as Failed',
            target: 'b89eb834-4578-496c-8be0-03f004061435',
          },
        }),
      ],
    }),
    'failed, Defender refused': submitted('failed', {
      targets: [
        target(machine(), {
          startedAt: at(-1 * MINUTE),
          error: {
            code: 'ActiveRequestAlreadyExists',
            message: 'Action is already in progress',
            target: 'a3c1f7d2-1111-4c2e-9a55-0c7e2d1b9f00',
          },
        }),
      ],
    }),
    'outcome unknown': submitted('outcome_unknown', {
      targets: [
        target(machine(), {
          startedAt: at(-30 * MINUTE),
          uncertain: true,
          error: {
            code: 'DefenderOutcomeUnknown',
            message:
              "Defender's answer could not be confirmed after 10 attempts (the device's actions could not be read).",
            target: 'b7e2c9d4-2222-4d3f-8b66-1d8f3e2c0a11',
            unknownOutcome: true,
          },
        }),
      ],
    }),
    rejected: request({
      state: 'rejected',
      comment: COMMENT,
      approvals: [approval(people.alice, -20 * MINUTE)],
      rejection: {
        by: people.bob,
        at: at(-10 * MINUTE),
        reason: 'Device is back in the office.\nSee INC-4712.',
      },
    }),
    cancelled: request({
      state: 'cancelled',
      comment: COMMENT,
      cancellation: { by: people.requester, at: at(-10 * MINUTE) },
    }),
    expired: request({ state: 'expired', comment: COMMENT, expiresAt: at(-1 * HOUR) }),
  };
}

/** Text that would do harm if a card treated it as template, Markdown, HTML or a mention. */
export const HOSTILE = {
  template: '${requestId} ${$root.verbs.approve} {{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  markdown: '**bold** _it_ [link](http://x.example) ![img](http://x.example/i.png) `code`',
  html: '<at>Alice Approver</at> <b>b</b> &lt;script&gt;',
  lines: '- item\n1. first\n# heading\n> quote',
};
export const HOSTILE_TEXT = Object.values(HOSTILE).join('\n');

/** A request whose every free-text field, person and device field carries HOSTILE text. */
export function hostileRequest(state: RequestState): OffboardRequest {
  const hostilePerson = (p: Person): Person => ({
    ...p,
    name: `${p.name} ${HOSTILE.html} ${HOSTILE.template}`,
  });
  return request({
    state,
    requester: hostilePerson(people.requester),
    comment: HOSTILE_TEXT,
    approvals: [approval(hostilePerson(people.alice), -5 * MINUTE)],
    rejection: { by: hostilePerson(people.bob), at: at(-1 * MINUTE), reason: HOSTILE_TEXT },
    cancellation: { by: hostilePerson(people.requester), at: at(-1 * MINUTE) },
    targets: [
      target(
        machine({
          computerDnsName: `evil ${HOSTILE.markdown}`,
          machineTags: [HOSTILE.template, HOSTILE.html, HOSTILE.lines],
          rbacGroupName: HOSTILE.markdown,
          osPlatform: HOSTILE.template,
        }),
        { error: { code: HOSTILE.template, message: HOSTILE.markdown, target: HOSTILE.html } },
      ),
    ],
  });
}
