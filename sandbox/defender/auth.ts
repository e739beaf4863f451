/**
 * Bearer tokens. Every /api call needs `Authorization: Bearer <token>` (docs/defender-api.md,
 * "Offboard a device"). The simulator does not verify signatures: it only reads the
 * caller's identity for `requestor`, as the API reports the app or user that asked.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export const DEFAULT_REQUESTOR = 'offboarder-app';

/** The token's app id or user name if it is a JWT carrying one, else DEFAULT_REQUESTOR. */
export function requestorFromToken(token: string): string {
  const payload = token.split('.')[1];
  if (!payload) return DEFAULT_REQUESTOR;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return DEFAULT_REQUESTOR;
    const c = claims as Record<string, unknown>;
    for (const key of ['upn', 'unique_name', 'appid', 'azp']) {
      const v = c[key];
      if (typeof v === 'string' && v !== '') return v;
    }
  } catch {
    // Not a JWT: opaque sandbox tokens are fine.
  }
  return DEFAULT_REQUESTOR;
}
