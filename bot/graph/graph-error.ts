/**
 * Microsoft Graph failures as typed errors with chat-ready messages (docs/architecture.md,
 * habit 3). Every one means "membership could not be confirmed": the caller counts
 * nothing and keeps nothing, so a click can simply be repeated. Nothing here ever sees
 * a token: callers pass status, Graph's error code and headers only.
 */
import { AppError } from '../app-error';
import { english, type Said } from '../i18n';

export const GraphErrorCode = {
  /** Throttled (429), Graph's own 5xx, a timeout, the network, or no token: try again later. */
  Unavailable: 'GraphUnavailable',
  /** 401 after a fresh token, or 403: the app registration lacks a permission. */
  Forbidden: 'GraphForbidden',
  /** A group id Graph does not know (404 on a group), or a 400 about the ids we sent. */
  BadConfiguration: 'GraphBadConfiguration',
  /** A 2xx answer the client cannot read, or a nextLink to another origin. */
  InvalidResponse: 'GraphInvalidResponse',
} as const;
export type GraphErrorCode = (typeof GraphErrorCode)[keyof typeof GraphErrorCode];

export class GraphError extends AppError {
  constructor(
    code: GraphErrorCode,
    chatMessage: Said | string,
    /** Technical detail for the log: status, Graph's error code, never a token. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, chatMessage, options);
    this.name = 'GraphError';
    this.message = `Microsoft Graph: ${detail}`;
  }
}

const UNAVAILABLE: Said = { key: 'errors.graphUnavailable' };
export const UNAVAILABLE_MESSAGE = english(UNAVAILABLE);

export class GraphUnavailableError extends GraphError {
  constructor(
    detail: string,
    /** From Retry-After on a 429 or 503, when Graph sent one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(GraphErrorCode.Unavailable, UNAVAILABLE, detail, options);
    this.name = 'GraphUnavailableError';
  }
}

export function graphForbidden(status: number, graphCode: string): GraphError {
  return new GraphError(
    GraphErrorCode.Forbidden,
    { key: 'errors.graphForbidden' },
    `${status}${graphCode ? ` ${graphCode}` : ''}`,
  );
}

export function graphBadConfiguration(detail: string): GraphError {
  return new GraphError(GraphErrorCode.BadConfiguration, { key: 'errors.graphBadConfiguration' }, detail);
}

export function graphInvalidResponse(detail: string): GraphError {
  return new GraphError(GraphErrorCode.InvalidResponse, { key: 'errors.graphInvalidResponse' }, detail);
}

export function isGraphError(e: unknown): e is GraphError {
  return e instanceof GraphError;
}
