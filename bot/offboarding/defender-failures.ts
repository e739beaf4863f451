/**
 * How the use cases read a failed Defender call. A 4xx (other than 408/429) means
 * Defender refused and did nothing: final. Anything else (network, timeout, 5xx,
 * token endpoint) leaves us unsure or blocked for now: retry later, and before any
 * new POST look for an action the lost call may have created.
 */
import { isAppError } from '../app-error';
import { said, withEnglish, type Said, type SaidValue } from '../i18n';
import type { StoredError } from '../request/model';
export type ErrorInfo = StoredError;

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
  const info: ErrorInfo = { code, message, target: typeof x?.target === 'string' ? x.target : undefined };
  // An error said by catalogue key keeps it, so the card can show it in the reader's language.
  return isAppError(e) && e.key ? { ...info, ...said(e.key, e.params) } : info;
}

/** The error as a value inside another text: said by key when it has one, else as written (Defender's own words). */
export function detailOf(info: ErrorInfo): SaidValue {
  return info.key ? said(info.key, info.params) : info.message;
}

/** A stored error said by catalogue key, with its English `message`. */
export function keyedError(code: string, text: Said, target?: string): ErrorInfo {
  return { code, ...withEnglish(text), ...(target ? { target } : {}) };
}
