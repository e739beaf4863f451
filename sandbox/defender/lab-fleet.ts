/**
 * The lab fleet for bulk offboarding (issue #14): 150 devices `lab-NNN.contoso.local`
 * in the device group "Lab machines". lab-001..lab-120 carry the tag `lab-retired`;
 * lab-001..lab-100 were last seen 61 to 120 days ago; a few untagged ones cannot be
 * offboarded through the API (macOS, Windows 10 1607). Deterministic, like fleet.ts,
 * and opt-in (`lab: true`): the seeded fleet and its tests stay as they are.
 */
import { createHash } from 'node:crypto';
import type { SimMachine } from './types';
import { SIM_FLEET_EPOCH_MS, simMachineId } from './fleet';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const LAB = {
  size: 150,
  tag: 'lab-retired',
  tagged: 120,
  group: { rbacGroupId: 107, rbacGroupName: 'Lab machines' },
  /** lab-001..lab-100: last seen more than 60 days ago. */
  staleCount: 100,
  staleMinDays: 61,
  /** Untagged devices Defender's API cannot offboard. */
  unsupported: [
    'lab-130.contoso.local',
    'lab-135.contoso.local',
    'lab-140.contoso.local',
    'lab-150.contoso.local',
  ],
  name: (n: number): string => `lab-${String(n).padStart(3, '0')}.contoso.local`,
} as const;

const aad = (name: string): string => {
  const h = createHash('sha1').update(`aad:${name}`, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function os(n: number, name: string): Pick<SimMachine, 'osPlatform' | 'version' | 'osBuild'> {
  if (name === 'lab-135.contoso.local') return { osPlatform: 'Windows10', version: '1607', osBuild: 14393 };
  if ((LAB.unsupported as readonly string[]).includes(name)) return { osPlatform: 'macOS', version: '14.5' };
  if (n % 10 === 0) return { osPlatform: 'WindowsServer2022', version: '21H2', osBuild: 20348 };
  return n % 3 === 0
    ? { osPlatform: 'Windows10', version: '22H2', osBuild: 19045 }
    : { osPlatform: 'Windows11', version: '23H2', osBuild: 22631 };
}

export function createLabFleet(anchorMs: number = SIM_FLEET_EPOCH_MS): SimMachine[] {
  return Array.from({ length: LAB.size }, (_, i) => {
    const n = i + 1;
    const name = LAB.name(n);
    const stale = n <= LAB.staleCount;
    const lastSeenMs = stale ? anchorMs - (LAB.staleMinDays + (n % 60)) * DAY : anchorMs - (3 + n) * MINUTE;
    const system = os(n, name);
    const windows = (system.osPlatform ?? '').startsWith('Windows');
    return {
      id: simMachineId(name),
      computerDnsName: name,
      firstSeen: new Date(anchorMs - (400 + n) * DAY).toISOString(),
      lastSeen: new Date(lastSeenMs).toISOString(),
      ...system,
      osProcessor: 'x64',
      osArchitecture: '64-bit',
      lastIpAddress: `10.7.${Math.floor(n / 200)}.${n % 200}`,
      lastExternalIpAddress: `198.51.100.${n % 250}`,
      healthStatus: stale ? 'Inactive' : 'Active',
      onboardingStatus: 'Onboarded',
      riskScore: 'Low',
      exposureLevel: 'Low',
      deviceValue: 'Normal',
      isAadJoined: windows,
      aadDeviceId: aad(name),
      managedBy: windows ? 'Intune' : 'MicrosoftDefenderForEndpoint',
      machineTags: n <= LAB.tagged ? [LAB.tag, 'Lab'] : ['Lab'],
      ...LAB.group,
    };
  });
}
