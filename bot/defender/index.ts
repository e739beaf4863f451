/** The Defender for Endpoint adapter: what the rest of the bot may import. */
export {
  createDefenderClient,
  type DefenderClient,
  type DefenderClientOptions,
  type MachineActionQuery,
} from './client';
export { DefenderError, DefenderErrorCode, isDefenderError, type DefenderErrorKind } from './defender-error';
export { InvalidInputError, isActionId, isMachineId } from './odata';
export type { OffboardOptions, OffboardResult } from './offboard';
export { OPERATIONS, type DefenderOperation } from './operations';
export { createRateLimiter, type QueueInfo, type RateLimiter, type RateLimiterOptions } from './rate-limiter';
export { DEFAULT_RETRY, decideRetry, type RetryConfig, type RetryDecision } from './retry-policy';
export {
  createMsalTokenProvider,
  staticTokenProvider,
  type MsalTokenProviderOptions,
  type TokenProvider,
} from './token';
export * from './types';
