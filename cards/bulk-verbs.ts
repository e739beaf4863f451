/**
 * Action.Execute verbs of the bulk forms (routed in bot/app.ts). The confirm button
 * carries the command's canonical text (bot/commands/bulk-format.ts), which the click
 * parses again: card data is never trusted as a device set.
 */
export const BULK_VERBS = {
  /** Requester: open the request a selector alone asked to confirm. Data: command, requesterId. */
  confirm: 'offboard.confirmBulk',
} as const;
