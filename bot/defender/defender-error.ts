/**
 * Defender failures as one typed error (docs/architecture.md, habit 3). `code` is ours and
 * stable; `defenderCode` is what the API said (may be ''). The chat message quotes the
 * correlation id because support needs it (docs/defender-api.md, "Errors").
 * Nothing here ever sees a token or a secret: callers pass status, body and headers only.
 */
import { AppError } from '../app-error';
import { REQUIRED_PERMISSION, type DefenderOperation } from './operations';

export type DefenderErrorKind =
  'http' | 'timeout' | 'network' | 'token' | 'invalidResponse' | 'unknownOutcome';

export const DefenderErrorCode = {
  TokenUnavailable: 'TokenUnavailable',
  OsPlatformNotSupported: 'DefenderOsPlatformNotSupported',
  ClientVersionNotSupported: 'DefenderClientVersionNotSupported',
  ActionAlreadyInProgress: 'DefenderActionAlreadyInProgress',
  BadRequest: 'DefenderBadRequest',
  Unauthorized: 'DefenderUnauthorized',
  Forbidden: 'DefenderForbidden',
  NotFound: 'DefenderNotFound',
  Throttled: 'DefenderThrottled',
  ServerError: 'DefenderServerError',
  Timeout: 'DefenderTimeout',
  NetworkError: 'DefenderNetworkError',
  InvalidResponse: 'DefenderInvalidResponse',
  OutcomeUnknown: 'DefenderOutcomeUnknown',
} as const;
export type DefenderErrorCode = (typeof DefenderErrorCode)[keyof typeof DefenderErrorCode];

export interface DefenderErrorInit {
  kind: DefenderErrorKind;
  operation?: DefenderOperation;
  /** HTTP status; 0 when no response arrived (timeout, network, token). */
  status?: number;
  defenderCode?: string;
  defenderMessage?: string;
  /** Correlation id from the error body. */
  target?: string;
  retryAfterMs?: number;
  /** Extra plain-language detail for kinds without a response (e.g. "after 30 s"). */
  detail?: string;
  /** For 'token': where the token was asked for, so the message names what to check. */
  tokenSource?: 'appRegistration' | 'managedIdentity';
}

export class DefenderError extends AppError {
  readonly kind: DefenderErrorKind;
  readonly operation?: DefenderOperation;
  readonly status: number;
  readonly defenderCode: string;
  readonly defenderMessage: string;
  readonly target?: string;
  readonly retryAfterMs?: number;

  constructor(init: DefenderErrorInit, options?: { cause?: unknown }) {
    const code = classify(init);
    super(code, chatMessageFor(code, init), options);
    this.name = 'DefenderError';
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status ?? 0;
    this.defenderCode = init.defenderCode ?? '';
    this.defenderMessage = init.defenderMessage ?? '';
    this.target = init.target || undefined;
    this.retryAfterMs = init.retryAfterMs;
    // The log-facing message: technical, still free of tokens (none ever reach here).
    this.message =
      `Defender ${init.operation ?? 'call'} failed: ${init.kind}` +
      (this.status ? ` ${this.status}` : '') +
      (this.defenderCode ? ` ${this.defenderCode}` : '') +
      (this.defenderMessage ? `: ${this.defenderMessage}` : '') +
      (init.detail ? ` (${init.detail})` : '') +
      (this.target ? ` [target ${this.target}]` : '');
  }
}

export function isDefenderError(e: unknown, code?: DefenderErrorCode): e is DefenderError {
  return e instanceof DefenderError && (code === undefined || e.code === code);
}

/** Branch on the code, never on the message (docs/defender-api.md) — except this one
 * documented case, where the service has been seen to answer with only the message
 * "Action is already in progress". */
export function isAlreadyInProgress(
  init: Pick<DefenderErrorInit, 'status' | 'defenderCode' | 'defenderMessage'>,
) {
  if (init.defenderCode === 'ActiveRequestAlreadyExists') return true;
  const genericCode = !init.defenderCode || init.defenderCode === 'BadRequest';
  return init.status === 400 && genericCode && /already in progress/i.test(init.defenderMessage ?? '');
}

function classify(init: DefenderErrorInit): DefenderErrorCode {
  switch (init.kind) {
    case 'token':
      return DefenderErrorCode.TokenUnavailable;
    case 'timeout':
      return DefenderErrorCode.Timeout;
    case 'network':
      return DefenderErrorCode.NetworkError;
    case 'invalidResponse':
      return DefenderErrorCode.InvalidResponse;
    case 'unknownOutcome':
      return DefenderErrorCode.OutcomeUnknown;
    case 'http':
      break;
  }
  const s = init.status ?? 0;
  if (init.defenderCode === 'OsPlatformNotSupported') return DefenderErrorCode.OsPlatformNotSupported;
  if (init.defenderCode === 'ClientVersionNotSupported') return DefenderErrorCode.ClientVersionNotSupported;
  if (isAlreadyInProgress(init)) return DefenderErrorCode.ActionAlreadyInProgress;
  if (s === 401) return DefenderErrorCode.Unauthorized;
  if (s === 403) return DefenderErrorCode.Forbidden;
  if (s === 404) return DefenderErrorCode.NotFound;
  if (s === 429) return DefenderErrorCode.Throttled;
  if (s === 408) return DefenderErrorCode.Timeout;
  if (s >= 500) return DefenderErrorCode.ServerError;
  return DefenderErrorCode.BadRequest;
}

const WHAT: Record<DefenderOperation, string> = {
  listMachines: 'look up devices',
  getMachine: 'read the device',
  offboard: 'offboard the device',
  listActions: 'read the device actions',
  getAction: 'read the machine action',
  cancelAction: 'cancel the machine action',
};

function chatMessageFor(code: DefenderErrorCode, init: DefenderErrorInit): string {
  const what = init.operation ? WHAT[init.operation] : 'reach Defender';
  const permission = init.operation ? REQUIRED_PERMISSION[init.operation] : 'Machine.Read.All';
  const seconds = init.retryAfterMs !== undefined ? Math.ceil(init.retryAfterMs / 1000) : undefined;
  const ref = init.target ? ` (support reference: ${init.target})` : '';
  switch (code) {
    case DefenderErrorCode.TokenUnavailable:
      if (init.tokenSource === 'managedIdentity')
        return (
          "The bot could not get a Defender access token from its host's managed identity. Check that the " +
          'identity is assigned to the app and, for a user-assigned one, that MDE_MANAGED_IDENTITY_CLIENT_ID is ' +
          `its client id.${init.detail ? ` The identity endpoint said: ${init.detail}.` : ''}`
        );
      return (
        'The bot could not get a Defender access token from Microsoft Entra ID. Check the app ' +
        'registration: tenant id, client id, and that its client secret or certificate is ' +
        `current and not expired.${init.detail ? ` Entra ID said: ${init.detail}.` : ''}`
      );
    case DefenderErrorCode.OsPlatformNotSupported:
      return (
        'Defender cannot offboard this device through the API: its operating system is not ' +
        'supported (only Windows 10 1703+, Windows 11 and Windows Server 2019+; macOS and Linux ' +
        `devices must be offboarded on the device itself).${ref}`
      );
    case DefenderErrorCode.ClientVersionNotSupported:
      return (
        'Defender cannot offboard this device through the API: its Windows version is too old ' +
        `(Windows 10 needs version 1703 or later; Server 2012 R2/2016 need the unified agent).${ref}`
      );
    case DefenderErrorCode.ActionAlreadyInProgress:
      return `Defender says an action is already in progress for this device; wait for it to finish or cancel it.${ref}`;
    case DefenderErrorCode.Unauthorized:
      return (
        `Defender rejected the bot's access token (401) when trying to ${what}. Check that the app ` +
        'registration is in the right tenant and the token scope is the Defender for Endpoint API ' +
        `(https://api.securitycenter.microsoft.com/.default).${ref}`
      );
    case DefenderErrorCode.Forbidden:
      return (
        `Defender refused to ${what} (403${init.defenderCode ? ` ${init.defenderCode}` : ''}): the app ` +
        `registration needs the application permission ${permission} with admin consent, and the ` +
        `device must be in a device group the app may access.${ref}`
      );
    case DefenderErrorCode.NotFound:
      return `Defender found nothing to ${what}: no such device or action (404).${ref}`;
    case DefenderErrorCode.Throttled:
      return (
        `Defender is throttling the bot (429) while trying to ${what}` +
        `${seconds !== undefined ? `; it asks to wait ${seconds} s` : ''}. Try again shortly.${ref}`
      );
    case DefenderErrorCode.ServerError:
      return `Defender had an internal error (${init.status}) while trying to ${what}. Try again later.${ref}`;
    case DefenderErrorCode.Timeout:
      return `Defender did not answer in time while trying to ${what}${init.detail ? ` (${init.detail})` : ''}.${ref}`;
    case DefenderErrorCode.NetworkError:
      return `The bot could not reach Defender to ${what} (network error). Try again later.${ref}`;
    case DefenderErrorCode.InvalidResponse:
      return `Defender sent an answer the bot could not read while trying to ${what}.${ref}`;
    case DefenderErrorCode.OutcomeUnknown:
      return (
        `The request to ${what} failed and the bot could not confirm whether Defender received it. ` +
        `Check the device's action history in the Defender portal before trying again.${ref}`
      );
    case DefenderErrorCode.BadRequest:
      return `Defender rejected the request to ${what} (${init.status}${init.defenderCode ? ` ${init.defenderCode}` : ''}).${ref}`;
  }
}
