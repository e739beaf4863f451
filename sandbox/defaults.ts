/**
 * The mock people as config defaults in sandbox mode. A file of its own: index.ts reads it
 * before loading anything heavy (the bot's runtime loads after the Playground is launched).
 */
import type { SandboxDefaults } from '../bot/config';
import { SANDBOX_APPROVER_GROUPS, SANDBOX_TENANT_ID, sandboxIds } from './users';

export const SANDBOX_DEFAULTS: SandboxDefaults = {
  tenantId: SANDBOX_TENANT_ID,
  requesters: sandboxIds('requester'),
  approvers: sandboxIds('approver'),
  approverGroups: [...SANDBOX_APPROVER_GROUPS],
};
