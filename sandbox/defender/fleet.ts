/**
 * The seeded fleet. Ids are sha1(computerDnsName): 40 lower-case hex characters like
 * real device ids (docs/defender-api.md, "Machine"), and stable across runs. Timestamps are
 * relative to an anchor (the simulator passes clock.now()), so "last seen" stays
 * realistic under both the system clock and a fake one.
 */
import { createHash } from 'node:crypto';
import type { SimMachine } from './types';

export const SIM_FLEET_EPOCH_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const sha1 = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');

export const simMachineId = (computerDnsName: string): string => sha1(computerDnsName);

function aadDeviceId(name: string): string {
  const h = sha1(`aad:${name}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const OS = {
  w11: { osPlatform: 'Windows11', version: '23H2', osBuild: 22631 },
  w11b: { osPlatform: 'Windows11', version: '22H2', osBuild: 22621 },
  w10: { osPlatform: 'Windows10', version: '22H2', osBuild: 19045 },
  w10b: { osPlatform: 'Windows10', version: '21H2', osBuild: 19044 },
  w10old: { osPlatform: 'Windows10', version: '1607', osBuild: 14393 },
  s2016: { osPlatform: 'WindowsServer2016', version: '1607', osBuild: 14393 },
  s2012: { osPlatform: 'WindowsServer2012R2', version: '6.3', osBuild: 9600 },
  s2019: { osPlatform: 'WindowsServer2019', version: '1809', osBuild: 17763 },
  s2022: { osPlatform: 'WindowsServer2022', version: '21H2', osBuild: 20348 },
  mac: { osPlatform: 'macOS', version: '14.5', osBuild: undefined },
  linux: { osPlatform: 'Linux', version: '22.04', osBuild: undefined },
} as const;

const GROUPS = {
  ws: { rbacGroupId: 101, rbacGroupName: 'Workstations' },
  srv: { rbacGroupId: 102, rbacGroupName: 'Servers' },
  fin: { rbacGroupId: 103, rbacGroupName: 'Finance' },
  fab: { rbacGroupId: 104, rbacGroupName: 'Fabrikam' },
  mac: { rbacGroupId: 105, rbacGroupName: 'Apple devices' },
  lnx: { rbacGroupId: 106, rbacGroupName: 'Linux servers' },
} as const;

interface Row {
  name: string;
  os: keyof typeof OS;
  group: keyof typeof GROUPS;
  extra?: Partial<SimMachine>;
  lastSeenDaysAgo?: number;
}

const ROWS: Row[] = [
  { name: 'ws-042.contoso.local', os: 'w11', group: 'ws' },
  // Shares the prefix "ws-042": a startswith() lookup must not pick it silently.
  { name: 'ws-0420.contoso.local', os: 'w11', group: 'ws' },
  { name: 'ws-001.contoso.local', os: 'w10', group: 'ws' },
  { name: 'ws-002.contoso.local', os: 'w10', group: 'ws' },
  { name: 'ws-003.contoso.local', os: 'w11b', group: 'ws' },
  { name: 'ws-004.contoso.local', os: 'w11', group: 'ws' },
  { name: 'ws-005.contoso.local', os: 'w10b', group: 'ws' },
  {
    name: 'ws-006.contoso.local',
    os: 'w11',
    group: 'ws',
    extra: { riskScore: 'High', exposureLevel: 'High' },
  },
  { name: 'ws-007.contoso.local', os: 'w10', group: 'ws' },
  { name: 'ws-008.contoso.local', os: 'w11', group: 'ws' },
  // Hostnames cannot hold an apostrophe, tags can: this is where quoting gets exercised.
  {
    name: 'ws-obrien.contoso.local',
    os: 'w11',
    group: 'ws',
    extra: { machineTags: ["O'Brien", 'Marketing'] },
  },
  // Windows permits non-ASCII computer names; exercises URL and JSON encoding.
  { name: 'büro-01.contoso.local', os: 'w11', group: 'ws', extra: { machineTags: ['Büro München'] } },
  // Short name only: computerDnsName is not always an FQDN (docs/defender-api.md).
  { name: 'kiosk-lobby-01', os: 'w10', group: 'ws', extra: { isAadJoined: false, machineTags: ['Kiosk'] } },
  { name: 'fin-laptop-07.contoso.local', os: 'w11', group: 'fin' },
  { name: 'fin-laptop-07.fabrikam.local', os: 'w10', group: 'fab' },
  { name: 'fin-laptop-08.contoso.local', os: 'w11', group: 'fin' },
  { name: 'srv-sql-01.contoso.local', os: 's2019', group: 'srv', extra: { deviceValue: 'High' } },
  { name: 'srv-sql-02.contoso.local', os: 's2022', group: 'srv', extra: { deviceValue: 'High' } },
  { name: 'srv-web-01.contoso.local', os: 's2022', group: 'srv' },
  {
    name: 'srv-dc-01.contoso.local',
    os: 's2019',
    group: 'srv',
    extra: { deviceValue: 'High', machineTags: ['DomainController'] },
  },
  { name: 'srv-file-01.contoso.local', os: 's2022', group: 'srv' },
  // Server 2016 is supported only with the unified agent (docs/defender-api.md, "Supported devices").
  {
    name: 'srv-app-2016.contoso.local',
    os: 's2016',
    group: 'srv',
    extra: { agentVersion: 'Windows Server 2016 unified agent', machineTags: ['UnifiedAgent'] },
  },
  {
    name: 'srv-legacy-2012.contoso.local',
    os: 's2012',
    group: 'srv',
    extra: { agentVersion: 'Microsoft Monitoring Agent (legacy)', machineTags: ['Legacy'] },
  },
  // Windows 10 before 1703 cannot be offboarded through the API.
  { name: 'ws-old-1607.contoso.local', os: 'w10old', group: 'ws' },
  {
    name: 'ws-inactive-01.contoso.local',
    os: 'w10',
    group: 'ws',
    lastSeenDaysAgo: 21,
    extra: { healthStatus: 'Inactive' },
  },
  {
    name: 'ws-stuck-001.contoso.local',
    os: 'w11',
    group: 'ws',
    extra: { sim: { offboardStaysPending: true } },
  },
  {
    name: 'ws-impaired-01.contoso.local',
    os: 'w10',
    group: 'ws',
    extra: { healthStatus: 'ImpairedCommunication' },
  },
  { name: 'mac-design-01.contoso.local', os: 'mac', group: 'mac' },
  { name: 'mac-exec-02.contoso.local', os: 'mac', group: 'mac' },
  { name: 'lnx-build-01.contoso.local', os: 'linux', group: 'lnx' },
  { name: 'lnx-web-02.contoso.local', os: 'linux', group: 'lnx' },
];

const RISK = ['None', 'Low', 'Medium', 'Low'] as const;

function build(row: Row, index: number, anchorMs: number): SimMachine {
  const os = OS[row.os];
  const group = GROUPS[row.group];
  const lastSeenMs =
    row.lastSeenDaysAgo !== undefined
      ? anchorMs - row.lastSeenDaysAgo * DAY
      : anchorMs - (5 + index * 7) * MINUTE;
  const windows = os.osPlatform.startsWith('Windows');
  const machine: SimMachine = {
    id: simMachineId(row.name),
    computerDnsName: row.name,
    firstSeen: new Date(anchorMs - (200 + index * 11) * DAY).toISOString(),
    lastSeen: new Date(lastSeenMs).toISOString(),
    osPlatform: os.osPlatform,
    version: os.version,
    ...(os.osBuild !== undefined ? { osBuild: os.osBuild } : {}),
    osProcessor: 'x64',
    osArchitecture: '64-bit',
    lastIpAddress: `10.0.${group.rbacGroupId - 100}.${10 + index}`,
    lastExternalIpAddress: `203.0.113.${10 + index}`,
    healthStatus: 'Active',
    onboardingStatus: 'Onboarded',
    riskScore: RISK[index % RISK.length] ?? 'None',
    exposureLevel: index % 3 === 0 ? 'Medium' : 'Low',
    deviceValue: 'Normal',
    isAadJoined: windows,
    aadDeviceId: aadDeviceId(row.name),
    managedBy: windows ? 'Intune' : 'MicrosoftDefenderForEndpoint',
    machineTags: [],
    ...group,
    ...row.extra,
  };
  return machine;
}

/** The seeded fleet with timestamps relative to `anchorMs`. Returns fresh objects each call. */
export function createSimFleet(anchorMs: number = SIM_FLEET_EPOCH_MS): SimMachine[] {
  return ROWS.map((row, i) => build(row, i, anchorMs));
}

/** The fleet anchored at SIM_FLEET_EPOCH_MS; ids and names equal the simulator's default fleet. */
export const SIM_FLEET: readonly SimMachine[] = createSimFleet();

const ref = (name: string): { id: string; name: string } => ({ id: simMachineId(name), name });

/** Named devices for tests. `name` is the computerDnsName. */
export const SIM = {
  healthy: ref('ws-042.contoso.local'),
  prefixOfHealthy: ref('ws-0420.contoso.local'),
  duplicateShortName: 'fin-laptop-07',
  duplicates: [ref('fin-laptop-07.contoso.local'), ref('fin-laptop-07.fabrikam.local')],
  mac: ref('mac-design-01.contoso.local'),
  linux: ref('lnx-build-01.contoso.local'),
  inactive: ref('ws-inactive-01.contoso.local'),
  impaired: ref('ws-impaired-01.contoso.local'),
  stuckPending: ref('ws-stuck-001.contoso.local'),
  oldWindows: ref('ws-old-1607.contoso.local'),
  server2016Unified: ref('srv-app-2016.contoso.local'),
  legacyServer2012: ref('srv-legacy-2012.contoso.local'),
  server: ref('srv-sql-01.contoso.local'),
  unicode: ref('büro-01.contoso.local'),
  shortNameOnly: ref('kiosk-lobby-01'),
  apostropheTag: { ...ref('ws-obrien.contoso.local'), tag: "O'Brien" },
} as const;
