import { createSimFleet, simMachineId, type SimMachine } from '../../sandbox/defender';

/**
 * A generated fleet for benchmarks: the seeded fleet has 31 devices, and a device can
 * have only one active request, so load runs need one supported device per turn.
 * Every device is a copy of the seeded healthy Windows 11 workstation with its own
 * name and id (sha1 of the name, as the simulator's ids are).
 */
export const benchName = (i: number): string => `bench-${String(i).padStart(5, '0')}`;
export const benchFqdn = (i: number): string => `${benchName(i)}.contoso.local`;

export function benchFleet(size: number, anchorMs = Date.now()): SimMachine[] {
  const template = createSimFleet(anchorMs).find((m) => m.computerDnsName === 'ws-042.contoso.local')!;
  return Array.from({ length: size }, (_, i) => ({
    ...template,
    id: simMachineId(benchFqdn(i)),
    computerDnsName: benchFqdn(i),
    lastIpAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    machineTags: [],
  }));
}
