/**
 * What the use cases need from the outside world. bot/defender's client and
 * bot/teams' notifier implement these; tests can pass the real ones wired to
 * in-process servers. No SDK types cross this boundary.
 */
import type { Clock, Scheduler } from '../clock';
import type { Logger } from '../log';
import type { OffboardRequest, Person } from '../request/model';
import type { Roster } from '../request/policy';
import type { Machine, MachineAction } from '../defender/types';
import type { OffboardOptions } from '../defender/offboard';
import type { MachineQuery } from '../defender/client';
import type { RequestStore } from '../store/types';
import type { Directory } from '../directory';
import type { EnvPolicy, PolicyRules } from '../policy-file';
import type { Locale } from '../i18n';

/** A read held by the rate limit reports when it is expected to start, before it waits. */
export interface ReadOptions {
  onQueued?: (info: { estimatedStartMs: number }) => void;
}

export interface DefenderPort {
  getMachine(id: string, opts?: ReadOptions): Promise<Machine | undefined>;
  findMachinesByName(name: string, opts?: ReadOptions): Promise<Machine[]>;
  searchMachinesByPrefix(prefix: string, top?: number): Promise<Machine[]>;
  listMachineActions(
    query: { machineId: string; type?: string },
    opts?: ReadOptions,
  ): Promise<MachineAction[]>;
  getMachineAction(id: string): Promise<MachineAction>;
  /** Bulk selection (bot/offboarding/open-bulk.ts): devices by names, ids, tag, last seen; all pages. */
  listMachines?(query: MachineQuery, opts?: ReadOptions): Promise<Machine[]>;
  /** Bulk selection: the tenant's Pending and InProgress Offboard actions in few paged reads. */
  listActiveOffboards?(opts?: ReadOptions): Promise<MachineAction[]>;
  /** Several actions by id in few paged reads (tracking a bulk request); absent: one GET per action. */
  listMachineActionsByIds?(ids: readonly string[]): Promise<MachineAction[]>;
  /** Cancels a still-Pending action (`cancel` after execution); absent in fakes that never need it. */
  cancelMachineAction?(id: string, comment: string): Promise<MachineAction>;
  offboard(
    machineId: string,
    comment: string,
    options?: Pick<OffboardOptions, 'onQueued' | 'startedAt' | 'beforePost'>,
  ): Promise<{ action: MachineAction; recovered: boolean }>;
}

export interface NotifierPort {
  /** Posts the request's card into its thread; returns the card's activity id. */
  postCard(request: OffboardRequest): Promise<string>;
  /** Re-renders the request's card in place for everyone (updateActivity). */
  updateCard(request: OffboardRequest): Promise<void>;
  /**
   * Posts a message into the request's thread; `mentionRequester` @mentions them,
   * `mention` these people too (those with a Teams id).
   */
  postInThread(
    request: OffboardRequest,
    text: string,
    options?: { mentionRequester?: boolean; mention?: readonly Person[] },
  ): Promise<void>;
  /** The people of the request's conversation (its roster), with their Teams ids. */
  conversationMembers?(request: OffboardRequest): Promise<Person[]>;
}

/** Groups, the directory and the policy file; absent in PolicySettings: the lists alone. */
export interface DirectoryPolicy {
  directory: Directory;
  rules?: PolicyRules;
  env: EnvPolicy;
}

export interface PolicySettings {
  roster: Roster;
  /** APPROVALS_REQUIRED now; requests keep theirs when it was larger. */
  approvalsRequired: number;
  /** A submitted request expires this long after submission. */
  ttlMs: number;
  /** A draft expires this long after it was opened. */
  draftTtlMs: number;
  /** Entra groups and POLICY_FILE rules (bot/offboarding/rules.ts); absent: the lists alone. */
  directory?: DirectoryPolicy;
  /** BULK_CONFIRM_OVER, BULK_MAX_DEVICES; absent: 20 and 500 (bot/offboarding/open-bulk.ts). */
  bulk?: { confirmOver: number; maxDevices: number };
}

export interface TrackingSettings {
  firstCheckMs: number;
  maxIntervalMs: number;
}

export interface OffboardingDeps {
  store: RequestStore;
  defender: DefenderPort;
  notifier: NotifierPort;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  newId: () => string;
  policy: PolicySettings;
  tracking: TrackingSettings;
  /** The language of thread posts whose addressee's locale is unknown (BOT_DEFAULT_LOCALE). */
  defaultLocale?: Locale;
}
