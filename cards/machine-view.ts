/**
 * How a Defender device is described on a card: one place, shared by the request card
 * and the "several devices match" card. Every value is Markdown-safe (FactSet values
 * are Markdown): device names and tags are set by people in the Defender portal.
 */
import type { Machine } from '../bot/defender/types';
import { factValue, formatTimeWithRelative, MISSING } from './format';

export interface MachineView {
  /** Raw id, for Action.Execute data only (never displayed from here). */
  machineId: string;
  name: string;
  id: string;
  os: string;
  health: string;
  lastSeen: string;
  riskScore: string;
  exposureLevel: string;
  tags: string;
  deviceGroup: string;
}

/** `Windows11 22H2 (build 22621)`: platform, version and build as Defender reports them. */
function describeOs(machine: Machine): string {
  const parts = [machine.osPlatform, machine.version].filter((p): p is string => Boolean(p));
  if (parts.length === 0 && machine.osBuild === undefined) return '';
  const build = machine.osBuild !== undefined ? `(build ${machine.osBuild})` : '';
  return [...parts, build].filter(Boolean).join(' ');
}

export function machineView(machine: Machine, now: number, timeZone?: string): MachineView {
  return {
    machineId: machine.id,
    name: factValue(machine.computerDnsName),
    id: factValue(machine.id),
    os: factValue(describeOs(machine)),
    health: factValue(machine.healthStatus),
    lastSeen: factValue(
      machine.lastSeen ? formatTimeWithRelative(machine.lastSeen, now, timeZone) : undefined,
    ),
    riskScore: factValue(machine.riskScore),
    exposureLevel: factValue(machine.exposureLevel),
    tags: machine.machineTags.length > 0 ? machine.machineTags.map(factValue).join(', ') : MISSING,
    deviceGroup: factValue(machine.rbacGroupName),
  };
}
