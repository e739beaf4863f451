/**
 * Rules per device (POLICY_FILE): which people may request and approve offboarding a
 * device, how many approvals it needs, or that it may not be offboarded from chat at
 * all. Pure data, JSON-serialisable apart from the compiled name patterns.
 * See docs/directory.md, "Rules per device".
 */
import type { Audience } from '../directory/types';
import type { Machine } from '../defender/types';

/** The Defender fields a rule can match on. */
export type MachineFacts = Pick<Machine, 'computerDnsName' | 'osPlatform' | 'machineTags' | 'rbacGroupName'>;

export interface NamePattern {
  /** As written in the file: `dc-*` or `/^dc\d+\./`. */
  source: string;
  regex: RegExp;
  /** Globs match the full DNS name or its first label; regexes the full name. */
  kind: 'glob' | 'regex';
}

/** Every criterion given must match; within one criterion, any listed value does. */
export interface DeviceMatch {
  /** Defender device group (`rbacGroupName`), lower case, compared exactly. */
  rbacGroupNames?: readonly string[];
  /** Any of these tags (lower case). */
  tags?: readonly string[];
  /** Any of these platforms (lower case), e.g. windowsserver2022. */
  osPlatforms?: readonly string[];
  names?: readonly NamePattern[];
}

export interface PolicyRule {
  name: string;
  /** 1-based line of the rule in the file, for messages and the audit trail. */
  line: number;
  match: DeviceMatch;
  /** False: devices matching this rule cannot be offboarded from chat. */
  allowed: boolean;
  /** Empty when `allowed` is false. */
  approvers: Audience;
  /** Absent: the environment's requesters. */
  requesters?: Audience;
  /** 0 when `allowed` is false. */
  approvalsRequired: number;
  /** Display names the file gives to group ids, for the card. */
  groupNames: Readonly<Record<string, string>>;
}

export interface PolicyRules {
  /** The file's name as configured, for messages. */
  file: string;
  rules: readonly PolicyRule[];
}

/** The settings from the environment: what applies when no rule matches. */
export interface EnvPolicy {
  requesters: Audience;
  approvers: Audience;
  approvalsRequired: number;
}

/** The rule that governs one device's request, whether from the file or the environment. */
export interface AppliedRule {
  /** The rule's name, or "Default" for the environment's settings. */
  name: string;
  source: 'file' | 'environment';
  line?: number;
  allowed: boolean;
  requesters: Audience;
  approvers: Audience;
  approvalsRequired: number;
  /** For the card: "Servers: 3 approvals from Server Owners". */
  summary: string;
}

export const DEFAULT_RULE_NAME = 'Default';
