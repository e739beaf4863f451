/**
 * How the use cases read a failed Defender call. A 4xx (other than 408/429) means
 * Defender refused and did nothing: final. Anything else (network, timeout, 5xx,
 * token endpoint) leaves us unsure or blocked for now: retry later, and before any
 * new POST look for an action the lost call may have created.
 */
export interface ErrorInfo {
  code: string;
  message: string;
  target?: string;
}

export function isDefinitiveRefusal(e: unknown): boolean {
  const status = (e as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function errorInfo(e: unknown): ErrorInfo {
  const x = e as {
    code?: unknown;
    defenderCode?: unknown;
    chatMessage?: unknown;
    message?: unknown;
    target?: unknown;
  };
  const code =
    (typeof x?.defenderCode === 'string' && x.defenderCode) ||
    (typeof x?.code === 'string' && x.code) ||
    'Error';
  const message =
    (typeof x?.chatMessage === 'string' && x.chatMessage) ||
    (typeof x?.message === 'string' && x.message) ||
    'The call to Defender failed.';
  return { code, message, target: typeof x?.target === 'string' ? x.target : undefined };
}
