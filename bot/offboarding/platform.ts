/**
 * Which devices Defender can offboard (docs/defender-api.md, "Supported devices"):
 * Windows 11, Windows 10 1703 and later, Windows Server 2019 and later; Server
 * 2012 R2 / 2016 only with the unified agent; not macOS, not Linux. We refuse early
 * with an explanation rather than collecting two approvals for a call that will fail.
 * Pure: no I/O.
 */
import type { Machine } from '../defender/types';
import type { Said } from '../i18n';

const MODERN = /^(windows11|windowsserver20(19|22|25)|windowsserver2\d{3})$/i;
const NEEDS_UNIFIED_AGENT = /^(windowsserver2016|windowsserver2012r2)$/i;
/** Windows 10 1703 is build 15063. */
const WIN10_MIN_BUILD = 15063;

/** `reason` is a catalogue entry (docs/i18n.md): the chat says it in the reader's language. */
export type PlatformVerdict = { ok: true } | { ok: false; reason: Said };

export function checkPlatform(m: Machine): PlatformVerdict {
  const os = (m.osPlatform ?? '').replace(/\s+/g, '');
  if (MODERN.test(os)) return { ok: true };
  if (/^windows10/i.test(os)) {
    if (m.osBuild !== undefined && m.osBuild > 0 && m.osBuild < WIN10_MIN_BUILD)
      return { ok: false, reason: { key: 'errors.platform.oldBuild', params: { build: String(m.osBuild) } } };
    const v = parseWin10Version(m.version);
    if (v !== undefined && v < 1703)
      return {
        ok: false,
        reason: { key: 'errors.platform.oldVersion', params: { version: m.version ?? '' } },
      };
    return { ok: true };
  }
  if (NEEDS_UNIFIED_AGENT.test(os)) {
    if (hasUnifiedAgent(m)) return { ok: true };
    return {
      ok: false,
      reason: { key: 'errors.platform.noUnifiedAgent', params: { os: m.osPlatform ?? '' } },
    };
  }
  const label: Said | string = m.osPlatform || { key: 'errors.platform.unknownOs' };
  return { ok: false, reason: { key: 'errors.platform.unsupported', params: { os: label } } };
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
