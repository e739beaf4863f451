import { isFinal, type ActionStore, type StoredAction } from './actions';
import { badRequest, notFound, SimError } from './sim-error';
import { ODataFilterError } from './odata-lexer';
import { compileFilter } from './odata-eval';
import { offboardRejection } from './offboard-rules';
import { pageOf, parseListQuery } from './query';
import { guid, type Rng } from './rng';
import type { FaultState } from './faults';
import type { MachineActionRecord, Operation, SimMachine } from './types';

/** What every handler may touch. */
export interface SimState {
  machines: SimMachine[];
  actions: ActionStore;
  faults: FaultState;
  ids: Rng;
  pageSize: number;
  baseUrl: () => string;
}

export interface HandlerInput {
  now: number;
  id: string;
  rawQuery: string;
  rawBody: string;
  contentType: string | undefined;
  requestor: string;
}

export interface Reply {
  status: number;
  body: unknown;
}

type Handler = (s: SimState, i: HandlerInput) => Reply;

// Properties accepted in $filter (docs/defender-api.md lists the filterable ones; "..." means
// more exist, so every serialised property is accepted).
const MACHINE_FIELDS = [
  'id', 'computerDnsName', 'firstSeen', 'lastSeen', 'osPlatform', 'version', 'osBuild', 'osProcessor',
  'osArchitecture', 'lastIpAddress', 'lastExternalIpAddress', 'healthStatus', 'onboardingStatus', 'riskScore',
  'exposureLevel', 'deviceValue', 'isAadJoined', 'aadDeviceId', 'managedBy', 'machineTags', 'rbacGroupId',
  'rbacGroupName', 'agentVersion',
]; // prettier-ignore
const ACTION_FIELDS = [
  'id', 'type', 'title', 'scope', 'requestor', 'requestorComment', 'requestSource', 'externalID', 'status',
  'machineId', 'computerDnsName', 'creationDateTimeUtc', 'lastUpdateDateTimeUtc', 'cancellationRequestor',
  'cancellationComment', 'cancellationDateTimeUtc', 'errorHResult',
]; // prettier-ignore

const context = (s: SimState, set: string): string => `${s.baseUrl()}/api/$metadata#${set}`;

export function machineJson(m: SimMachine): Omit<SimMachine, 'sim'> {
  const { sim: _sim, ...rest } = m;
  return rest;
}

function findMachine(s: SimState, id: string): SimMachine | undefined {
  const key = id.toLowerCase();
  return s.machines.find((m) => m.id.toLowerCase() === key);
}

function list<T extends object>(
  s: SimState,
  i: HandlerInput,
  set: string,
  path: string,
  items: T[],
  fields: string[],
): Reply {
  const q = parseListQuery(i.rawQuery);
  let matched = items;
  if (q.filter !== undefined) {
    try {
      const predicate = compileFilter(q.filter, fields);
      matched = items.filter(predicate);
    } catch (e) {
      if (!(e instanceof ODataFilterError)) throw e;
      // Syntax errors carry a code; binding/type errors come back with an empty code
      // and a details array, as ODataErrors have been seen to (docs/defender-api.md, "Errors").
      if (e.kind === 'syntax') throw new SimError(400, 'ODataError', `Invalid filter clause: ${e.message}`);
      throw new SimError(400, '', 'The query specified in the URI is not valid.', {
        details: [{ code: 'ODataError', message: e.message, target: '$filter' }],
      });
    }
  }
  const page = pageOf(matched, q, s.pageSize, `${s.baseUrl()}${path}`);
  return {
    status: 200,
    body: {
      '@odata.context': context(s, set),
      value: page.value,
      ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
    },
  };
}

/** {"Comment": "..."}: JSON content type required, key case-sensitive (docs/defender-api.md). */
function commentBody(i: HandlerInput): { comment: string; externalId: string | null } {
  if (!/^application\/json\s*(;|$)/i.test(i.contentType ?? '')) {
    throw new SimError(415, 'UnsupportedMediaType', "Content-Type must be 'application/json'");
  }
  let body: unknown;
  try {
    body = JSON.parse(i.rawBody);
  } catch {
    throw badRequest('InvalidRequestBody', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('InvalidRequestBody', 'The request body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  if (b.Comment === undefined || b.Comment === null || b.Comment === '') {
    throw badRequest('MissingRequiredParameter', "Required parameter 'Comment' is missing");
  }
  if (typeof b.Comment !== 'string') throw badRequest('InvalidRequestBody', "'Comment' must be a string");
  const ext = b.ExternalID ?? b.ExternalId;
  return { comment: b.Comment, externalId: typeof ext === 'string' ? ext : null };
}

const actionView = (s: SimState, a: StoredAction, now: number): MachineActionRecord => s.actions.view(a, now);

const entity = (s: SimState, set: string, body: object, status = 200): Reply => ({
  status,
  body: { '@odata.context': `${context(s, set)}/$entity`, ...body },
});

function offboard(s: SimState, i: HandlerInput): Reply {
  const { comment, externalId } = commentBody(i);
  const m = findMachine(s, i.id);
  if (!m) throw notFound('Machine', i.id);
  const rejection = offboardRejection(m);
  if (rejection) throw rejection;
  const active = s.actions.activeOffboard(m.id, i.now);
  if (active) {
    // The API either returns the pending action or refuses (docs/defender-api.md, "Duplicate requests").
    if (s.faults.duplicateReturnsExisting) return entity(s, 'MachineActions', actionView(s, active, i.now));
    throw badRequest('ActiveRequestAlreadyExists', 'Action is already in progress');
  }
  const action: StoredAction = {
    id: guid(s.ids),
    type: 'Offboard',
    machineId: m.id,
    computerDnsName: m.computerDnsName,
    requestor: i.requestor,
    comment,
    externalId,
    createdAt: i.now,
    finalStatus: s.faults.finalStatusFor(m.id),
    staysPending: m.sim?.offboardStaysPending === true,
  };
  s.actions.add(action);
  if (s.faults.takeCreateThenFail()) {
    throw new SimError(500, 'InternalServerError', 'An unexpected error occurred (the action was created)');
  }
  // Real tenants answer 201 Created (docs/defender-api.md); clients must accept 200 too.
  return entity(s, 'MachineActions', s.actions.createdView(action), 201);
}

function cancelAction(s: SimState, i: HandlerInput): Reply {
  const { comment } = commentBody(i);
  const a = s.actions.get(i.id);
  if (!a) throw notFound('Machine action', i.id);
  const { status } = s.actions.status(a, i.now);
  if (isFinal(status)) {
    throw badRequest('BadRequest', `Action ${a.id} is already ${status} and cannot be cancelled`);
  }
  s.actions.cancel(a, i.now, i.requestor, comment);
  return entity(s, 'MachineActions', actionView(s, a, i.now));
}

export const HANDLERS: Record<Operation, Handler> = {
  listMachines: (s, i) =>
    list(s, i, 'Machines', '/api/machines', s.machines.map(machineJson), MACHINE_FIELDS),
  getMachine: (s, i) => {
    // Ids only: the docs mention computer names here but show only ids, so clients
    // should not rely on name lookups (docs/defender-api.md, "Machine").
    const m = findMachine(s, i.id);
    if (!m) throw notFound('Machine', i.id);
    return entity(s, 'Machines', machineJson(m));
  },
  offboard,
  listActions: (s, i) =>
    list(
      s,
      i,
      'MachineActions',
      '/api/machineactions',
      s.actions.all().map((a) => actionView(s, a, i.now)),
      ACTION_FIELDS,
    ),
  getAction: (s, i) => {
    const a = s.actions.get(i.id);
    if (!a) throw notFound('Machine action', i.id);
    return entity(s, 'MachineActions', actionView(s, a, i.now));
  },
  cancelAction,
};
