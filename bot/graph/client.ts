/**
 * Microsoft Graph, read-only, for directory-based approvers (docs/directory.md, "Groups
 * and Graph"): transitive group membership of one person, and the people in a group.
 * The token travels only in the Authorization header and is never logged; nextLinks
 * are followed only on Graph's own origin so the token goes nowhere else.
 *
 * Every call only reads, so a bounded retry after a 5xx or a dropped connection cannot
 * count anything twice. A 429 is never waited out here: someone is waiting on a card
 * click, so the caller answers at once with the Retry-After it got.
 */
import { systemClock, systemScheduler, type Clock, type Scheduler } from '../clock';
import type { TokenProvider } from '../defender/token';
import { parseRetryAfter } from '../defender/retry-policy';
import type { Logger } from '../log';
import {
  GraphError,
  GraphUnavailableError,
  graphBadConfiguration,
  graphForbidden,
  graphInvalidResponse,
} from './graph-error';

/** Graph's limit for checkMemberGroups: at most 20 group ids per call. */
export const CHECK_MEMBER_GROUPS_MAX = 20;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GraphClientOptions {
  /** https://graph.microsoft.com, https://graph.microsoft.us, https://dod-graph.microsoft.us, or the stand-in. */
  baseUrl: string;
  /** App-only tokens for the scope `{base}/.default` (an msal provider built with GRAPH_SCOPE). */
  tokenProvider: TokenProvider;
  logger: Logger;
  /** One HTTP request's limit. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts after a 5xx or a network error. Default 1. */
  retries?: number;
  /** Wait before such a retry. Default 300 ms. */
  retryDelayMs?: number;
  /** Safety stop for nextLink chains. Default 100 pages. */
  maxPages?: number;
  clock?: Clock;
  scheduler?: Scheduler;
}

export interface GraphClient {
  /** The ids among `groupIds` that the user belongs to, directly or through nested groups (lower case). */
  checkMemberGroups(userObjectId: string, groupIds: readonly string[]): Promise<string[]>;
  /** Object ids of every user in the group, directly or through nested groups (lower case). */
  transitiveMembers(groupId: string): Promise<string[]>;
}

type Operation = 'checkMemberGroups' | 'transitiveMembers';

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = new URL(options.baseUrl.replace(/\/+$/, '') + '/');
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 1;
  const retryDelayMs = options.retryDelayMs ?? 300;
  const maxPages = options.maxPages ?? 100;
  const { logger } = options;

  async function token(forceRefresh: boolean): Promise<string> {
    try {
      return await options.tokenProvider.getToken(forceRefresh ? { forceRefresh } : undefined);
    } catch (e) {
      // The provider's own error already names the Entra ID problem in the log.
      throw new GraphUnavailableError('no access token for Microsoft Graph', undefined, { cause: e });
    }
  }

  /** One request: 2xx body, or a typed error. 401 is retried once with a fresh token. */
  async function send(op: Operation, method: 'GET' | 'POST', url: URL, body?: unknown): Promise<unknown> {
    let refresh = false;
    let refreshed = false;
    let retried = 0;
    for (;;) {
      const res = await sendOnce(op, method, url, body, refresh);
      refresh = false;
      if (res.kind === 'ok') return res.body;
      if (res.kind === 'unauthorized' && !refreshed) {
        refreshed = refresh = true;
        continue;
      }
      if (res.kind === 'retryable' && retried < retries) {
        retried++;
        await scheduler.sleep(retryDelayMs);
        continue;
      }
      throw res.error;
    }
  }

  type Once =
    { kind: 'ok'; body: unknown } | { kind: 'unauthorized' | 'retryable' | 'final'; error: GraphError };

  async function sendOnce(
    op: Operation,
    method: 'GET' | 'POST',
    url: URL,
    body: unknown,
    forceRefresh: boolean,
  ): Promise<Once> {
    const bearer = await token(forceRefresh);
    const controller = new AbortController();
    let timedOut = false;
    const timer = scheduler.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = clock.now();
    const log = { op, method, path: url.pathname };
    try {
      const res = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: controller.signal,
        redirect: 'manual', // a redirect must not carry the bearer token elsewhere
      });
      const text = await res.text();
      let parsed: unknown;
      let unreadable = false;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        unreadable = true;
      }
      const durationMs = clock.now() - started;
      if (res.status >= 200 && res.status < 300) {
        logger.info({ ...log, status: res.status, durationMs }, 'graph call');
        if (unreadable)
          return { kind: 'final', error: graphInvalidResponse(`${op}: ${res.status} not JSON`) };
        return { kind: 'ok', body: parsed };
      }
      const graphCode = errorCode(parsed);
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
      logger.warn({ ...log, status: res.status, durationMs, graphCode, retryAfterMs }, 'graph call failed');
      const detail = `${op}: ${res.status}${graphCode ? ` ${graphCode}` : ''}`;
      if (res.status === 429)
        return { kind: 'final', error: new GraphUnavailableError(detail, retryAfterMs) };
      if (res.status >= 500) {
        const error = new GraphUnavailableError(detail, retryAfterMs);
        // A 503 that asks for a long pause is answered at once, like a 429.
        return { kind: retryAfterMs && retryAfterMs > retryDelayMs ? 'final' : 'retryable', error };
      }
      if (res.status === 401) return { kind: 'unauthorized', error: graphForbidden(401, graphCode) };
      if (res.status === 403) return { kind: 'final', error: graphForbidden(403, graphCode) };
      if (res.status === 404 || res.status === 400)
        return { kind: 'final', error: notFoundOrBad(op, res.status, graphCode, detail) };
      return { kind: 'final', error: graphInvalidResponse(detail) };
    } catch (e) {
      const durationMs = clock.now() - started;
      // Only the error's name or code: never anything that could hold the token.
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      const kind = timedOut ? 'timeout' : 'network';
      logger.warn({ ...log, durationMs, error: kind, cause }, 'graph call failed');
      const error = new GraphUnavailableError(
        timedOut ? `${op}: no answer within ${Math.round(timeoutMs / 1000)} s` : `${op}: ${cause}`,
      );
      // A timeout is not retried: the person clicking has already waited the whole limit.
      return { kind: timedOut ? 'final' : 'retryable', error };
    } finally {
      timer.cancel();
    }
  }

  function notFoundOrBad(op: Operation, status: number, graphCode: string, detail: string): GraphError {
    // A user Graph does not know belongs to no group; the caller treats that as "no".
    if (op === 'checkMemberGroups' && status === 404 && graphCode === 'Request_ResourceNotFound')
      return new UnknownUser(detail);
    return graphBadConfiguration(detail);
  }

  return {
    async checkMemberGroups(userObjectId, groupIds) {
      const user = checkGuid(userObjectId, 'user object id');
      const wanted = [...new Set(groupIds.map((g) => checkGuid(g, 'group id')))];
      const found: string[] = [];
      const url = new URL(`v1.0/users/${user}/checkMemberGroups`, base);
      for (let i = 0; i < wanted.length; i += CHECK_MEMBER_GROUPS_MAX) {
        const chunk = wanted.slice(i, i + CHECK_MEMBER_GROUPS_MAX);
        let body: unknown;
        try {
          body = await send('checkMemberGroups', 'POST', url, { groupIds: chunk });
        } catch (e) {
          if (e instanceof UnknownUser) return [];
          throw e;
        }
        const ids = stringList(body);
        if (!ids) throw graphInvalidResponse('checkMemberGroups: no "value" list of ids');
        // Only ids that were asked about count, whatever else an answer holds.
        const asked = new Set(chunk);
        found.push(...ids.map((s) => s.toLowerCase()).filter((id) => asked.has(id)));
      }
      return [...new Set(found)];
    },

    async transitiveMembers(groupId) {
      const group = checkGuid(groupId, 'group id');
      const members = new Set<string>();
      let next: URL | undefined = new URL(
        `v1.0/groups/${group}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`,
        base,
      );
      for (let page = 1; next; page++) {
        if (page > maxPages) throw graphInvalidResponse(`transitiveMembers: more than ${maxPages} pages`);
        const body = await send('transitiveMembers', 'GET', next);
        const o = isObject(body) ? body : undefined;
        if (!o || !Array.isArray(o.value)) throw graphInvalidResponse('transitiveMembers: no "value" list');
        for (const item of o.value) {
          const id = isObject(item) ? item.id : undefined;
          if (typeof id === 'string' && GUID.test(id)) members.add(id.toLowerCase());
        }
        const link = o['@odata.nextLink'];
        if (link !== undefined && typeof link !== 'string')
          throw graphInvalidResponse('transitiveMembers: nextLink is not a string');
        next = link ? new URL(link, base) : undefined;
        if (next && next.origin !== base.origin)
          throw graphInvalidResponse('transitiveMembers: nextLink points at another origin');
      }
      return [...members];
    },
  };
}

/** Internal: 404 for the user in checkMemberGroups, answered as "member of nothing". */
class UnknownUser extends GraphError {
  constructor(detail: string) {
    super('GraphBadConfiguration', 'unknown user', detail);
  }
}

function checkGuid(id: string, what: string): string {
  // Ids reach the URL path: anything but a GUID is a programming error, refused before any call.
  if (!GUID.test(id)) throw new TypeError(`Graph: ${what} must be a GUID`);
  return id.toLowerCase();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function stringList(body: unknown): string[] | undefined {
  if (!isObject(body) || !Array.isArray(body.value)) return undefined;
  return body.value.every((v) => typeof v === 'string') ? (body.value as string[]) : undefined;
}

function errorCode(body: unknown): string {
  const err = isObject(body) && isObject(body.error) ? body.error : undefined;
  return err && typeof err.code === 'string' ? err.code.slice(0, 100) : '';
}
