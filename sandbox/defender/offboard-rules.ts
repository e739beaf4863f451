/**
 * Which devices the offboard API accepts (docs/defender-api.md, "Supported devices"):
 * Windows 11, Windows 10 1703 and later, Windows Server 2019 and later; Server 2012 R2
 * and 2016 only with the unified agent; never macOS or Linux (OsPlatformNotSupported).
 * For a too-old Windows 10 the simulator answers ClientVersionNotSupported, a documented
 * 400 code; the real service's choice is not documented, so clients should treat both
 * codes as "not supported".
 */
import { SimError } from './sim-error';
import type { SimMachine } from './types';

export function offboardRejection(m: SimMachine): SimError | undefined {
  const platform = m.osPlatform ?? '';
  const unsupported = new SimError(
    400,
    'OsPlatformNotSupported',
    `Offboarding is not supported for OS platform '${platform || 'Unknown'}'`,
  );
  if (platform === 'Windows11') return undefined;
  if (platform === 'Windows10') {
    const v = Number(m.version);
    // Versions like "21H2" are all newer than 1703; only 4-digit numeric versions can be older.
    if (/^\d{4}$/.test(m.version ?? '') && v < 1703) {
      return new SimError(
        400,
        'ClientVersionNotSupported',
        `Offboard is supported for client version 1703 and above (device version ${m.version})`,
      );
    }
    return undefined;
  }
  const server = /^WindowsServer(\d{4})(R2)?$/.exec(platform);
  if (server) {
    const year = Number(server[1]);
    if (year >= 2019) return undefined;
    if (year === 2016 || (year === 2012 && server[2] === 'R2')) {
      return hasUnifiedAgent(m) ? undefined : unsupported;
    }
  }
  return unsupported;
}

function hasUnifiedAgent(m: SimMachine): boolean {
  return /unified/i.test(m.agentVersion ?? '') || m.machineTags.some((t) => /^unifiedagent$/i.test(t));
}
