/**
 * The Defender for Endpoint REST client (docs/defender-api.md). Every call goes through the
 * rate limiter and the retry policy; user text reaches URLs only through odata.ts.
 */
import { systemClock, systemScheduler, type Clock, type Scheduler } from '../clock';
import type { Logger } from '../log';
import { DefenderError } from './defender-error';
import {
  actionIdSegment,
  and,
  hasTag,
  InvalidInputError,
  lastSeenBefore,
  machineActionsFilter,
  machineIdSegment,
  queryString,
  startsWith,
  eq,
  or,
} from './odata';
import {
  cancelExactlyOnce,
  offboardExactlyOnce,
  type OffboardOptions,
  type OffboardResult,
} from './offboard';
import type { DefenderOperation } from './operations';
import { parseCollection, parseMachine, parseMachineAction } from './parse';
import type { QueueInfo, RateLimiter } from './rate-limiter';
import type { RetryConfig } from './retry-policy';
import type { Telemetry } from '../telemetry/types';
import type { TokenProvider } from './token';
import { sendOnce, withRetries, type TransportDeps } from './transport';
import type { ActionStatus, Machine, MachineAction } from './types';

export interface DefenderClientOptions {
  /** e.g. https://api.securitycenter.microsoft.com, or the simulator's url. */
  baseUrl: string;
  tokenProvider: TokenProvider;
  limiter: RateLimiter;
  logger: Logger;
  timeoutMs: number;
  clock?: Clock;
  scheduler?: Scheduler;
  retry?: Partial<RetryConfig>;
  telemetry?: Telemetry;
  /** Safety stop for `@odata.nextLink` chains. Default 50 pages. */
  maxPages?: number;
}

/** Action ids per filtered read: `(id eq '…' or …)` stays well under URL length limits. */
export const ACTIONS_PER_READ = 25;

export interface MachineActionQuery {
  machineId: string;
  type?: string;
  statuses?: readonly ActionStatus[];
}

/** A read that has to wait for the rate limit calls `onQueued` once, before waiting. */
export interface ReadOptions {
  onQueued?: (info: QueueInfo) => void;
}

/** Devices for bulk selectors: every clause given must hold (docs/defender-api.md, "Machine"). */
export interface MachineQuery {
  /** Any of these names (exact matching is the caller's: see `nameMatches`). */
  names?: readonly string[];
  /** Any of these 40-hex device ids. */
  ids?: readonly string[];
  tag?: string;
  /** ISO time: devices last seen before it. */
  lastSeenBefore?: string;
}

/** Largest page Defender serves ($top up to 10,000, docs/defender-api.md). */
const MAX_PAGE = 10_000;

export interface DefenderClient {
  /** Devices matching `query`, all pages (none given: every device the app may read). */
  listMachines(query: MachineQuery, opts?: ReadOptions): Promise<Machine[]>;
  /** Active (Pending, InProgress) Offboard actions of the whole tenant, all pages. */
  listActiveOffboards(opts?: ReadOptions): Promise<MachineAction[]>;
  getMachine(id: string, opts?: ReadOptions): Promise<Machine | undefined>;
  findMachinesByName(name: string, opts?: ReadOptions): Promise<Machine[]>;
  searchMachinesByPrefix(prefix: string, top?: number): Promise<Machine[]>;
  listMachineActions(query: MachineActionQuery, opts?: ReadOptions): Promise<MachineAction[]>;
  getMachineAction(id: string): Promise<MachineAction>;
  /** Actions by id, `ACTIONS_PER_READ` ids per filtered read (tracking a bulk request). */
  listMachineActionsByIds(ids: readonly string[]): Promise<MachineAction[]>;
  offboard(machineId: string, comment: string, opts?: OffboardOptions): Promise<OffboardResult>;
  cancelMachineAction(id: string, comment: string): Promise<MachineAction>;
}

export function createDefenderClient(options: DefenderClientOptions): DefenderClient {
  const base = new URL(options.baseUrl.replace(/\/+$/, '') + '/');
  const deps: TransportDeps = {
    tokenProvider: options.tokenProvider,
    limiter: options.limiter,
    logger: options.logger,
    timeoutMs: options.timeoutMs,
    clock: options.clock ?? systemClock,
    scheduler: options.scheduler ?? systemScheduler,
    retry: options.retry,
    telemetry: options.telemetry,
  };
  const maxPages = options.maxPages ?? 50;
  const url = (pathAndQuery: string) => new URL(pathAndQuery, base);

  async function getJson(operation: DefenderOperation, target: URL, opts?: ReadOptions): Promise<unknown> {
    return withRetries(deps, operation, {
      onQueued: opts?.onQueued,
      send: async (refresh) => {
        const res = await sendOnce(deps, { operation, method: 'GET', url: target }, refresh);
        if (res.unreadable)
          throw new DefenderError({ kind: 'invalidResponse', operation, status: res.status });
        return res.body;
      },
    });
  }

  /** Follows `@odata.nextLink`, but only on our own origin: the bearer token goes
   * nowhere else, whatever a response says. */
  async function getAll<T>(
    operation: DefenderOperation,
    first: URL,
    item: (v: unknown) => T | undefined,
    limit = Infinity,
    opts?: ReadOptions,
  ) {
    const all: T[] = [];
    let next: URL | undefined = first;
    for (let page = 1; next && all.length < limit; page++) {
      if (page > maxPages) throw invalid(operation, `more than ${maxPages} pages`);
      const body: unknown = await getJson(operation, next, page === 1 ? opts : undefined);
      const { items, nextLink } = parseCollection(body, item);
      all.push(...items);
      next = nextLink ? new URL(nextLink, base) : undefined;
      if (next && next.origin !== base.origin) throw invalid(operation, 'nextLink points at another origin');
    }
    return all;
  }

  const client: DefenderClient = {
    async listMachines(query, opts) {
      const clauses = [
        ...(query.names?.length
          ? [or(...query.names.map((n) => startsWith('computerDnsName', wantedName(n))))]
          : []),
        ...(query.ids?.length ? [or(...query.ids.map((id) => eq('id', machineIdSegment(id))))] : []),
        ...(query.tag !== undefined ? [hasTag(query.tag)] : []),
        ...(query.lastSeenBefore !== undefined ? [lastSeenBefore(query.lastSeenBefore)] : []),
      ];
      const q = queryString({ $filter: clauses.length ? and(...clauses) : undefined, $top: MAX_PAGE });
      return getAll('listMachines', url(`api/machines${q}`), parseMachine, Infinity, opts);
    },

    async listActiveOffboards(opts) {
      const filter = machineActionsFilter({ type: 'Offboard', statuses: ['Pending', 'InProgress'] });
      return getAll(
        'listActions',
        url(`api/machineactions${queryString({ $filter: filter, $top: MAX_PAGE })}`),
        parseMachineAction,
        Infinity,
        opts,
      );
    },

    async getMachine(id, opts) {
      try {
        return parseMachine(await getJson('getMachine', url(`api/machines/${machineIdSegment(id)}`), opts));
      } catch (e) {
        if (e instanceof DefenderError && e.status === 404) return undefined;
        throw e;
      }
    },

    async findMachinesByName(name, opts) {
      // Defender stores computerDnsName in lower case; the match below is case-insensitive
      // either way. A trailing dot (absolute FQDN) is not part of the stored name.
      const wanted = wantedName(name);
      const filter = startsWith('computerDnsName', wanted);
      const candidates = await getAll(
        'listMachines',
        url(`api/machines${queryString({ $filter: filter })}`),
        parseMachine,
        Infinity,
        opts,
      );
      return candidates.filter((m) => nameMatches(m, wanted));
    },

    async searchMachinesByPrefix(prefix, top = 5) {
      if (!Number.isInteger(top) || top < 1 || top > 10_000)
        throw new InvalidInputError('top must be 1..10000');
      const filter = startsWith('computerDnsName', checkName(prefix).toLowerCase());
      // The service may page below $top: follow nextLink until `top` are in.
      const first = url(`api/machines${queryString({ $filter: filter, $top: top })}`);
      return (await getAll('listMachines', first, parseMachine, top)).slice(0, top);
    },

    async listMachineActions(query, opts) {
      const filter = machineActionsFilter(query);
      return getAll(
        'listActions',
        url(`api/machineactions${queryString({ $filter: filter })}`),
        parseMachineAction,
        Infinity,
        opts,
      );
    },

    async getMachineAction(id) {
      const body = await getJson('getAction', url(`api/machineactions/${actionIdSegment(id)}`));
      const action = parseMachineAction(body);
      if (!action) throw invalid('getAction', 'not a MachineAction');
      return action;
    },

    async listMachineActionsByIds(ids) {
      const all: MachineAction[] = [];
      for (let i = 0; i < ids.length; i += ACTIONS_PER_READ) {
        const chunk = ids.slice(i, i + ACTIONS_PER_READ).map(actionIdSegment);
        const filter = or(...chunk.map((id) => eq('id', id)));
        const first = url(`api/machineactions${queryString({ $filter: filter })}`);
        all.push(...(await getAll('listActions', first, parseMachineAction)));
      }
      return all;
    },

    offboard(machineId, comment, opts) {
      return offboardExactlyOnce(offboardCtx, machineId, comment, opts);
    },

    cancelMachineAction(id, comment) {
      return cancelExactlyOnce(offboardCtx, id, comment);
    },
  };
  const offboardCtx = {
    deps,
    url,
    listOffboards: (machineId: string) => client.listMachineActions({ machineId, type: 'Offboard' }),
    getAction: (id: string) => client.getMachineAction(id),
  };
  return client;
}

/** The name as Defender stores it: lower case, without the root dot of an absolute FQDN. */
function wantedName(name: string): string {
  return checkName(name).toLowerCase().replace(/\.$/, '');
}

/**
 * Exact only: the FQDN itself, or (for a name without a dot) the host label of an FQDN.
 * "fin-laptop-07" matches fin-laptop-07.contoso.local and .fabrikam.local, never
 * fin-laptop-070 (docs/defender-api.md: never guess between several).
 */
export function nameMatches(m: Machine, name: string): boolean {
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const dns = m.computerDnsName.toLowerCase();
  return dns === wanted || (!wanted.includes('.') && dns.split('.')[0] === wanted);
}

function checkName(name: string): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n) throw new InvalidInputError('a device name is required');
  // DNS names are at most 253 characters (RFC 1035); anything longer cannot match.
  if (n.length > 255) throw new InvalidInputError('a device name is at most 255 characters');
  return n;
}

function invalid(operation: DefenderOperation, detail: string): DefenderError {
  return new DefenderError({ kind: 'invalidResponse', operation, detail });
}
