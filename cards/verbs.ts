/**
 * Action.Execute verbs, shared by the card templates (bound in as data) and the route
 * table in bot/app.ts, so a renamed verb cannot leave a button without a route.
 * Card data carries only the request id (and, for `choose`, a device id): identity,
 * authorization and state always come from the activity and the store, never from card data.
 */
export const VERBS = {
  /** Requester: lock the comment and ask for approvals. Inputs: comment. */
  submit: 'offboard.submit',
  approve: 'offboard.approve',
  /** Inputs: rejectReason. */
  reject: 'offboard.reject',
  cancel: 'offboard.cancel',
  /** Refresh the card from the store (no state change). */
  refresh: 'offboard.refresh',
  /** From the "several devices match" card: open a request for one of them. Data: machineId. */
  choose: 'offboard.choose',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** Card input ids, read from `value.action.data` (Teams merges inputs into data). */
export const INPUTS = {
  comment: 'comment',
  rejectReason: 'rejectReason',
} as const;
