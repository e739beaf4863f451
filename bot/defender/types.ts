/**
 * Defender for Endpoint resources as this project uses them. Parsed leniently from
 * the API (docs/defender-api.md: unknown fields ignored, case variants accepted); see
 * parse.ts. Optional fields are optional because the API omits or nulls them.
 */
export type ActionStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';

export const FINAL_STATUSES: readonly ActionStatus[] = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];

export function isFinalStatus(s: ActionStatus): boolean {
  return FINAL_STATUSES.includes(s);
}

export interface Machine {
  id: string;
  computerDnsName: string;
  osPlatform?: string;
  version?: string;
  osBuild?: number;
  healthStatus?: string;
  onboardingStatus?: string;
  riskScore?: string;
  exposureLevel?: string;
  deviceValue?: string;
  lastSeen?: string;
  firstSeen?: string;
  lastIpAddress?: string;
  lastExternalIpAddress?: string;
  machineTags: string[];
  rbacGroupName?: string;
  rbacGroupId?: number;
  aadDeviceId?: string;
  /** e.g. "Windows Server 2016 unified agent": not a documented field, kept when present. */
  agentVersion?: string;
}

export interface MachineAction {
  id: string;
  type: string;
  status: ActionStatus;
  /** The status string exactly as Defender sent it, when it was not one of ActionStatus
   * (e.g. a future value): `status` then holds the closest known meaning (parse.ts). */
  rawStatus?: string;
  machineId?: string;
  computerDnsName?: string;
  requestor?: string;
  requestorComment?: string;
  requestSource?: string;
  externalId?: string;
  scope?: string;
  title?: string;
  creationDateTimeUtc?: string;
  lastUpdateDateTimeUtc?: string;
  cancellationRequestor?: string;
  cancellationComment?: string;
  cancellationDateTimeUtc?: string;
  errorHResult?: number;
}
