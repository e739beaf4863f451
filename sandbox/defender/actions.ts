/**
 * Offboard actions. Status is computed lazily from the clock at read time (no timers):
 * Pending until creation + actionSeconds/3, InProgress until creation + actionSeconds,
 * then the final status. An offboard on an unreachable device can stay Pending for a
 * long time (docs/defender-api.md), which `staysPending` models.
 */
import type { ActionStatus } from '../../bot/defender/types';
import type { MachineActionRecord } from './types';

export interface StoredAction {
  id: string;
  type: 'Offboard';
  machineId: string;
  computerDnsName: string;
  requestor: string;
  comment: string;
  externalId: string | null;
  createdAt: number;
  finalStatus: 'Succeeded' | 'Failed' | 'TimeOut';
  staysPending: boolean;
  cancelled?: { at: number; by: string; comment: string };
}

// HRESULTs a failed action carries: E_FAIL and HRESULT_FROM_WIN32(ERROR_TIMEOUT).
const HRESULT = { Succeeded: 0, Failed: -2147467259, TimeOut: -2147023436 } as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export class ActionStore {
  private readonly list: StoredAction[] = [];
  private readonly byId = new Map<string, StoredAction>();
  private readonly byMachine = new Map<string, StoredAction[]>();

  constructor(private readonly actionSeconds: number) {}

  add(a: StoredAction): void {
    this.list.push(a);
    this.byId.set(a.id.toLowerCase(), a);
    const mine = this.byMachine.get(a.machineId) ?? [];
    mine.push(a);
    this.byMachine.set(a.machineId, mine);
  }

  get(id: string): StoredAction | undefined {
    return this.byId.get(id.toLowerCase());
  }

  all(): readonly StoredAction[] {
    return this.list;
  }

  /** A Pending or InProgress Offboard on this machine, if any (duplicate detection). */
  activeOffboard(machineId: string, now: number): StoredAction | undefined {
    return (this.byMachine.get(machineId) ?? []).find((a) => !isFinal(this.status(a, now).status));
  }

  cancel(a: StoredAction, now: number, by: string, comment: string): void {
    a.cancelled = { at: now, by, comment };
  }

  clear(): void {
    this.list.length = 0;
    this.byId.clear();
    this.byMachine.clear();
  }

  status(a: StoredAction, now: number): { status: ActionStatus; updatedAt: number } {
    if (a.cancelled) return { status: 'Cancelled', updatedAt: a.cancelled.at };
    if (a.staysPending) return { status: 'Pending', updatedAt: a.createdAt };
    const totalMs = this.actionSeconds * 1000;
    const elapsed = now - a.createdAt;
    // actionSeconds = 0: final on the first read after creation (the 201 itself says Pending).
    if (elapsed >= totalMs) return { status: a.finalStatus, updatedAt: a.createdAt + totalMs };
    const startMs = totalMs / 3;
    if (elapsed >= startMs) return { status: 'InProgress', updatedAt: a.createdAt + startMs };
    return { status: 'Pending', updatedAt: a.createdAt };
  }

  view(a: StoredAction, now: number): MachineActionRecord {
    const { status, updatedAt } = this.status(a, now);
    return render(a, status, updatedAt);
  }

  /** The creation response: always Pending, as the API answers a fresh offboard. */
  createdView(a: StoredAction): MachineActionRecord {
    return render(a, 'Pending', a.createdAt);
  }
}

export function isFinal(s: ActionStatus): boolean {
  return s !== 'Pending' && s !== 'InProgress';
}

function render(a: StoredAction, status: ActionStatus, updatedAt: number): MachineActionRecord {
  return {
    id: a.id,
    type: a.type,
    title: `Offboard ${a.computerDnsName}`,
    scope: null,
    requestor: a.requestor,
    requestorComment: a.comment,
    requestSource: 'PublicApi',
    externalID: a.externalId,
    status,
    machineId: a.machineId,
    computerDnsName: a.computerDnsName,
    creationDateTimeUtc: iso(a.createdAt),
    lastUpdateDateTimeUtc: iso(updatedAt),
    cancellationRequestor: a.cancelled?.by ?? null,
    cancellationComment: a.cancelled?.comment ?? null,
    cancellationDateTimeUtc: a.cancelled ? iso(a.cancelled.at) : null,
    errorHResult: status === 'Failed' || status === 'TimeOut' ? HRESULT[status] : 0,
    relatedFileInfo: null,
    commands: [],
    troubleshootInfo: null,
  };
}
