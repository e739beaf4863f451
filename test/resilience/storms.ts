import type { RequestState } from '../../bot/request/model';

/**
 * The click storms of the concurrency test: who clicks what, all at once, and which
 * final states each storm may legitimately end in.
 */
export type Verb = 'approve' | 'reject' | 'cancel';
export interface Click {
  who: string;
  verb: Verb;
}

export interface Storm {
  name: string;
  /** Approvals given (one by one) before the storm. */
  before: number;
  /** `o` are three approvers other than the requester `req`. */
  clicks(req: string, o: readonly [string, string, string]): Click[];
  outcomes: readonly RequestState[];
}

const twice = (c: Click): Click[] => [c, c];
export const STORMS: readonly Storm[] = [
  {
    name: 'three approvers at once, each double-clicking',
    before: 0,
    clicks: (_r, o) => o.flatMap((who) => twice({ who, verb: 'approve' })),
    outcomes: ['completed'],
  },
  {
    name: 'the deciding approval clicked three times by two people',
    before: 1,
    clicks: (_r, o) =>
      [o[1], o[2]].flatMap((who) => [...twice({ who, verb: 'approve' }), { who, verb: 'approve' }]),
    outcomes: ['completed'],
  },
  {
    name: 'approve and reject racing',
    before: 1,
    clicks: (_r, o) => [...twice({ who: o[1], verb: 'approve' }), ...twice({ who: o[2], verb: 'reject' })],
    outcomes: ['completed', 'rejected'],
  },
  {
    name: 'cancel racing the last approval',
    before: 1,
    clicks: (r, o) => [...twice({ who: o[1], verb: 'approve' }), ...twice({ who: r, verb: 'cancel' })],
    outcomes: ['completed', 'cancelled'],
  },
  {
    name: 'everything at once',
    before: 0,
    clicks: (r, o) => [
      { who: o[0], verb: 'approve' },
      ...twice({ who: o[1], verb: 'approve' }),
      { who: o[2], verb: 'approve' },
      { who: o[2], verb: 'reject' },
      { who: o[0], verb: 'reject' },
      ...twice({ who: r, verb: 'cancel' }),
    ],
    outcomes: ['completed', 'rejected', 'cancelled'],
  },
  {
    name: 'rejections and a cancel racing',
    before: 1,
    clicks: (r, o) => [
      ...twice({ who: o[1], verb: 'reject' }),
      { who: o[2], verb: 'reject' },
      { who: r, verb: 'cancel' },
    ],
    outcomes: ['rejected', 'cancelled'],
  },
];
