/**
 * Defender failures as one typed error (docs/architecture.md, habit 3). `code` is ours and
 * stable; `defenderCode` is what the API said (may be ''). The chat message quotes the
 * correlation id because support needs it (docs/defender-api.md, "Errors").
 * Nothing here ever sees a token or a secret: callers pass status, body and headers only.
 */
import { AppError } from '../app-error';
import type { MessageKey, Said, SaidParams, SaidValue } from '../i18n';
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

/** What the bot was doing, mid-sentence ("while trying to {what}"). */
const WHAT: Record<DefenderOperation, Said> = {
  listMachines: { key: 'errors.defender.what.listMachines' },
  getMachine: { key: 'errors.defender.what.getMachine' },
  offboard: { key: 'errors.defender.what.offboard' },
  listActions: { key: 'errors.defender.what.listActions' },
  getAction: { key: 'errors.defender.what.getAction' },
  cancelAction: { key: 'errors.defender.what.cancelAction' },
};

/** The chat message by catalogue key (docs/i18n.md); Defender's own codes and our details are values. */
function chatMessageFor(code: DefenderErrorCode, init: DefenderErrorInit): Said {
  const what: Said = init.operation ? WHAT[init.operation] : { key: 'errors.defender.what.reach' };
  const permission = init.operation ? REQUIRED_PERMISSION[init.operation] : 'Machine.Read.All';
  const seconds = init.retryAfterMs !== undefined ? Math.ceil(init.retryAfterMs / 1000) : undefined;
  const ref: SaidValue = init.target ? { key: 'errors.defender.ref', params: { ref: init.target } } : '';
  const said = (key: MessageKey, params: SaidParams = {}): Said => ({ key, params: { ref, ...params } });
  const status = `${init.status}${init.defenderCode ? ` ${init.defenderCode}` : ''}`;
  switch (code) {
    case DefenderErrorCode.TokenUnavailable:
      if (init.tokenSource === 'managedIdentity')
        return said('errors.defender.tokenManagedIdentity', {
          detail: init.detail ? { key: 'errors.defender.identitySaid', params: { detail: init.detail } } : '',
        });
      return said('errors.defender.tokenEntra', {
        detail: init.detail ? { key: 'errors.defender.entraSaid', params: { detail: init.detail } } : '',
      });
    case DefenderErrorCode.OsPlatformNotSupported:
      return said('errors.defender.osNotSupported');
    case DefenderErrorCode.ClientVersionNotSupported:
      return said('errors.defender.clientVersion');
    case DefenderErrorCode.ActionAlreadyInProgress:
      return said('errors.defender.alreadyInProgress');
    case DefenderErrorCode.Unauthorized:
      return said('errors.defender.unauthorized', { what });
    case DefenderErrorCode.Forbidden:
      return said('errors.defender.forbidden', {
        what,
        status: `403${init.defenderCode ? ` ${init.defenderCode}` : ''}`,
        permission,
      });
    case DefenderErrorCode.NotFound:
      return said('errors.defender.notFound', { what });
    case DefenderErrorCode.Throttled:
      return said('errors.defender.throttled', {
        what,
        wait:
          seconds !== undefined ? { key: 'errors.defender.wait', params: { seconds: String(seconds) } } : '',
      });
    case DefenderErrorCode.ServerError:
      return said('errors.defender.serverError', { what, status: String(init.status) });
    case DefenderErrorCode.Timeout:
      return said('errors.defender.timeout', { what, detail: init.detail ? ` (${init.detail})` : '' });
    case DefenderErrorCode.NetworkError:
      return said('errors.defender.network', { what });
    case DefenderErrorCode.InvalidResponse:
      return said('errors.defender.invalidResponse', { what });
    case DefenderErrorCode.OutcomeUnknown:
      return said('errors.defender.outcomeUnknown', { what });
    case DefenderErrorCode.BadRequest:
      return said('errors.defender.badRequest', { what, status });
  }
}
