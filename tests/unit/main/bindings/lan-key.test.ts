import { describe, expect, it } from 'vitest';
import {
  cookieToken,
  generateLanKey,
  lanKeyProblem,
  sameSecret,
} from '../../../../src/main/bindings/lan-key';

describe('LAN keys', () => {
  it('generates keys of at least 128 bits that pass the rule, never the same twice', () => {
    const keys = new Set(Array.from({ length: 50 }, generateLanKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^[\w-]{22,}$/);
      expect(lanKeyProblem(key)).toBeUndefined();
    }
  });

  it('refuses keys shorter than 128 bits for their alphabet', () => {
    // base64url-like: 22 characters (6 bits each) is the least.
    expect(lanKeyProblem('aB3-_x'.repeat(4).slice(0, 21))).toMatch(/128 bits.*22.*21/);
    expect(lanKeyProblem('aB3-_x'.repeat(4).slice(0, 22))).toBeUndefined();
    // Hex only: 4 bits each, so 32.
    expect(lanKeyProblem('0123456789abcdef'.repeat(2).slice(0, 31))).toMatch(/32/);
    expect(lanKeyProblem('0123456789ABCDEF'.repeat(2))).toBeUndefined();
    // Digits only: 39.
    expect(lanKeyProblem('1234567890'.repeat(4).slice(0, 38))).toMatch(/39/);
    expect(lanKeyProblem('1234567890'.repeat(4).slice(0, 39))).toBeUndefined();
    expect(lanKeyProblem('k3y-k3y-k3y')).toBeDefined();
    expect(lanKeyProblem('')).toBeDefined();
  });

  it('refuses spaces, control characters, non-ASCII and absurd lengths', () => {
    for (const key of [
      'correct horse battery staple',
      'tab\there-and-long-enough-key',
      'line\nbreak-long-enough-key-123',
      'ключ-ключ-ключ-ключ-ключ-ключ',
      'x'.repeat(513),
    ])
      expect(lanKeyProblem(key), JSON.stringify(key)).toBeDefined();
  });

  it('never starts a key with "-", which a command line would read as options', () => {
    // One base64url key in 64 used to; 5,000 keys would show it about 78 times.
    for (let i = 0; i < 5000; i++) expect(generateLanKey()).toMatch(/^[A-Za-z0-9_][\w-]{23}$/);
  });

  it('compares secrets whatever their lengths', () => {
    const key = generateLanKey();
    expect(sameSecret(key, key)).toBe(true);
    expect(sameSecret(key.slice(0, -1), key)).toBe(false);
    expect(sameSecret(`${key}x`, key)).toBe(false);
    expect(sameSecret('', key)).toBe(false);
  });

  it('keeps a cookie token that is not the key, is stable, and differs per key', () => {
    const key = generateLanKey();
    expect(cookieToken(key)).toBe(cookieToken(key));
    expect(cookieToken(key)).not.toContain(key);
    expect(cookieToken(key)).not.toBe(cookieToken(generateLanKey()));
    expect(cookieToken(key)).toMatch(/^[\w-]{43}$/);
  });
});
