/**
 * How a Defender device is described on a card: one place, shared by the request card
 * and the "several devices match" card. Every value is Markdown-safe (FactSet values
 * are Markdown): device names and tags are set by people in the Defender portal.
 * Missing values and invalid times show as a dash.
 */
import type { Machine } from '../bot/defender/types';
import type { MessageKey, Translator } from '../bot/i18n';
import { cardTimeWithRelative, factValue, MISSING } from './format';

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
function describeOs(machine: Machine, t: Translator): string {
  const parts = [machine.osPlatform, machine.version].filter((p): p is string => Boolean(p));
  if (parts.length === 0 && machine.osBuild === undefined) return '';
  // A string, so the build number is not grouped like a quantity (`22,621`).
  const build = machine.osBuild !== undefined ? t('card.osBuild', { build: String(machine.osBuild) }) : '';
  return [...parts, build].filter(Boolean).join(' ');
}

/** Defender's values for health, risk and exposure (docs/defender-api.md, "Machine"), as words. */
const HEALTH: Readonly<Record<string, MessageKey>> = {
  Active: 'card.health.Active',
  Inactive: 'card.health.Inactive',
  ImpairedCommunication: 'card.health.ImpairedCommunication',
  NoSensorData: 'card.health.NoSensorData',
  NoSensorDataImpairedCommunication: 'card.health.NoSensorDataImpairedCommunication',
  Unknown: 'card.health.Unknown',
};
const LEVEL: Readonly<Record<string, MessageKey>> = {
  None: 'card.level.None',
  Informational: 'card.level.Informational',
  Low: 'card.level.Low',
  Medium: 'card.level.Medium',
  High: 'card.level.High',
};

/** A known value in the card's language; anything new from Defender as it came. */
function word(map: Readonly<Record<string, MessageKey>>, value: string | undefined, t: Translator): string {
  const key = value !== undefined && Object.hasOwn(map, value) ? map[value] : undefined;
  return key ? t(key) : factValue(value);
}

/** The facts' titles, in the card's language. */
export function machineLabels(t: Translator) {
  return {
    name: t('card.fact.name'),
    deviceId: t('card.fact.deviceId'),
    os: t('card.fact.os'),
    health: t('card.fact.health'),
    lastSeen: t('card.fact.lastSeen'),
    riskScore: t('card.fact.riskScore'),
    exposureLevel: t('card.fact.exposureLevel'),
    tags: t('card.fact.tags'),
    deviceGroup: t('card.fact.deviceGroup'),
  };
}

export function machineView(machine: Machine, now: number, t: Translator): MachineView {
  return {
    machineId: machine.id,
    name: factValue(machine.computerDnsName),
    id: factValue(machine.id),
    os: factValue(describeOs(machine, t)),
    health: word(HEALTH, machine.healthStatus, t),
    // Not through factValue: that would defuse the time functions (format.ts cardTime).
    lastSeen: cardTimeWithRelative(machine.lastSeen, now, t),
    riskScore: word(LEVEL, machine.riskScore, t),
    exposureLevel: word(LEVEL, machine.exposureLevel, t),
    tags: machine.machineTags.length > 0 ? machine.machineTags.map(factValue).join(', ') : MISSING,
    deviceGroup: factValue(machine.rbacGroupName),
  };
}
