import { checkPlatform } from '../../bot/offboarding/platform';
import { createSimFleet, SIM_FLEET, simMachineId, type SimMachine } from '../../sandbox/defender';

/**
 * Devices for the resilience tests. Every request gets a device of its own: the executor
 * adopts an Offboard action created on the device shortly before it started (a crashed
 * run's lost POST), so two requests on one device within minutes would share an action.
 */

/** The seeded fleet's devices the bot and Defender both accept, minus the one whose action never ends. */
export function offboardableDevices(): SimMachine[] {
  return SIM_FLEET.filter((m) => checkPlatform(m).ok && !m.sim?.offboardStaysPending);
}

/** The seeded fleet plus `extra` Windows 11 workstations `<prefix>-NNN.contoso.local`. */
export function fleetWith(extra: number, prefix: string): { fleet: SimMachine[]; added: SimMachine[] } {
  const fleet = createSimFleet(Date.now());
  const template = fleet.find((m) => m.osPlatform === 'Windows11' && !m.sim)!;
  const added = Array.from({ length: extra }, (_, i) => {
    const name = `${prefix}-${String(i + 1).padStart(3, '0')}.contoso.local`;
    return { ...template, id: simMachineId(name), computerDnsName: name, machineTags: [] };
  });
  return { fleet: [...fleet, ...added], added };
}
