/**
 * Which devices Defender can offboard (docs/defender-api.md, "Supported devices"):
 * Windows 11, Windows 10 1703 and later, Windows Server 2019 and later; Server
 * 2012 R2 / 2016 only with the unified agent; not macOS, not Linux. We refuse early
 * with an explanation rather than collecting two approvals for a call that will fail.
 * Pure: no I/O.
 */
import type { Machine } from '../defender/types';

const MODERN = /^(windows11|windowsserver20(19|22|25)|windowsserver2\d{3})$/i;
const NEEDS_UNIFIED_AGENT = /^(windowsserver2016|windowsserver2012r2)$/i;
/** Windows 10 1703 is build 15063. */
const WIN10_MIN_BUILD = 15063;

export type PlatformVerdict = { ok: true } | { ok: false; reason: string };

export function checkPlatform(m: Machine): PlatformVerdict {
  const os = (m.osPlatform ?? '').replace(/\s+/g, '');
  if (MODERN.test(os)) return { ok: true };
  if (/^windows10/i.test(os)) {
    if (m.osBuild !== undefined && m.osBuild > 0 && m.osBuild < WIN10_MIN_BUILD)
      return { ok: false, reason: `Windows 10 build ${m.osBuild} is older than version 1703 (build 15063).` };
    const v = parseWin10Version(m.version);
    if (v !== undefined && v < 1703)
      return { ok: false, reason: `Windows 10 version ${m.version} is older than version 1703.` };
    return { ok: true };
  }
  if (NEEDS_UNIFIED_AGENT.test(os)) {
    if (hasUnifiedAgent(m)) return { ok: true };
    return {
      ok: false,
      reason: `${m.osPlatform} can be offboarded through the API only when it runs the unified agent, and this device does not report it.`,
    };
  }
  const label = m.osPlatform || 'an unknown platform';
  return {
    ok: false,
    reason: `Defender's offboard API supports Windows 10 (1703+), Windows 11 and Windows Server 2019+; this device runs ${label}. Offboard it with the platform's offboarding package instead.`,
  };
}

/** "1607" → 1607, "21H2" → 2106, "20H1" → 2003 (comparable with YYMM releases). */
function parseWin10Version(v: string | undefined): number | undefined {
  const m = /^(\d{2})(\d{2}|H[12])$/i.exec(v ?? '');
  if (!m) return undefined;
  const yy = Number(m[1]);
  const part = m[2]!.toUpperCase();
  const mm = part === 'H1' ? 3 : part === 'H2' ? 9 : Number(part);
  return yy * 100 + mm;
}

function hasUnifiedAgent(m: Machine): boolean {
  // The unified agent's sensor reports versions 10.8xxx; tags are a fallback some teams use.
  if (m.agentVersion && /^10\.8\d{3}/.test(m.agentVersion)) return true;
  return m.machineTags.some((t) => /unified[\s-]?agent/i.test(t));
}
