/**
 * The API's error shape: {"error":{"code","message","target"}} where target is a
 * correlation id (docs/defender-api.md, "Errors"). OData errors have been seen with an empty
 * code and a `details` array; SimError can produce both forms.
 */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: {
      details?: { code: string; message: string; target?: string }[];
      retryAfter?: number;
    } = {},
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    target: string;
    details?: { code: string; message: string; target?: string }[];
  };
}

export function errorBody(e: SimError, target: string): ErrorBody {
  return {
    error: {
      code: e.code,
      message: e.message,
      target,
      ...(e.extra.details ? { details: e.extra.details } : {}),
    },
  };
}

export const notFound = (what: string, id: string): SimError =>
  new SimError(404, 'ResourceNotFound', `${what} ${id} was not found`);

export const badRequest = (code: string, message: string): SimError => new SimError(400, code, message);
