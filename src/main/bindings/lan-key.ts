import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * About 144 random bits as 24 base64url characters, never starting with "-": a key goes on command
 * lines (`hearth serve --lan-key`, `hearth top --key`, `curl -H`…), where one that starts with "-" is
 * easily taken for options (`--lan-key -v…` once printed Hearth's version instead of serving).
 */
export function generateLanKey(): string {
  for (;;) {
    const key = randomBytes(18).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

/**
 * Why a LAN key is too weak to guard Hearth on a network, or undefined when it will do. The rule
 * keeps 128 bits for a random key of that alphabet: printable ASCII without spaces, at least 22
 * characters (base64url: 6 bits each); a key of hex digits only needs 32, of decimal digits only 39.
 */
export function lanKeyProblem(key: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(key)) return 'a LAN key is printable ASCII without spaces';
  if (key.length > 512) return 'a LAN key is at most 512 characters';
  const [needed, kind] = /^\d+$/.test(key)
    ? [39, 'digits only']
    : /^[0-9a-f]+$/i.test(key)
      ? [32, 'hex digits only']
      : [22, 'letters, digits and symbols'];
  if (key.length < needed)
    return `a LAN key needs at least 128 bits: ${needed} characters or more (${kind}); this one has ${key.length}`;
  return undefined;
}

/** Constant-time, whatever the lengths: both sides are hashed first. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * What the browser keeps once a shared link is opened: derived from the key, so the key itself is
 * not stored, and 256 bits, so guessing it is hopeless (wrong cookies are not rate limited).
 */
/**
 * What Hearth keeps of a key it must remember across restarts: its SHA-256. A client's key is checked
 * against it, so a copy of the database does not give the key away.
 */
export const keyVerifier = (key: string): string => createHash('sha256').update(key).digest('base64url');

export const cookieToken = (key: string): string =>
  createHmac('sha256', key).update('hearth lan cookie v1').digest('base64url');
