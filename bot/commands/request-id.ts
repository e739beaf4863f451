/**
 * Request ids: `OFB-` + 8 Crockford base32 characters (40 random bits). Crockford's
 * alphabet drops I, L, O and U so ids survive being read aloud or retyped
 * (https://www.crockford.com/base32.html). Pure: the random source is injected.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const REQUEST_ID_PREFIX = 'OFB-';

const BODY_LENGTH = 8;

/** A canonical request id (upper case). No `g` flag: `.test()` stays stateless. */
export const REQUEST_ID_PATTERN = /^OFB-[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * A new id from `random`, which must return numbers in [0, 1) like Math.random (use a
 * CSPRNG-backed one in production). Throws RangeError otherwise: a broken source would
 * silently shrink the id space. Collisions (2^40 ids) are caught by the store's create.
 */
export function newRequestId(random: () => number): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    const r = random();
    if (!(r >= 0 && r < 1)) throw new RangeError(`random source returned ${r}, expected [0, 1)`);
    body += CROCKFORD_ALPHABET.charAt(Math.floor(r * CROCKFORD_ALPHABET.length));
  }
  return REQUEST_ID_PREFIX + body;
}

/**
 * Reads a typed request id leniently: any case, prefix optional, and Crockford's
 * decoding aliases (O → 0, I/L → 1). Returns the canonical id or undefined.
 */
export function parseRequestId(token: string): string | undefined {
  const upper = token.trim().toUpperCase();
  const match = /^(?:OFB-?)?([0-9A-Z]{8})$/.exec(upper);
  if (!match?.[1]) return undefined;
  const body = match[1].replace(/O/g, '0').replace(/[IL]/g, '1');
  const id = REQUEST_ID_PREFIX + body;
  return REQUEST_ID_PATTERN.test(id) ? id : undefined;
}
