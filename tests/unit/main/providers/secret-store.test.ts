import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore } from '../../../../src/main/electron/secret-store-safe';
import { FileSecretStore } from '../../../../src/main/services/providers/secret-store';
import { MockSafeStorage } from '../../../mocks/electron';
import { makeTempDir } from '../../../helpers/temp-dir';

const posix = process.platform !== 'win32';

describe('provider keys', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());
  let n = 0;
  const file = (): string => join(dir.path, `keys-${++n}.json`);

  it('keeps keys in a file only its owner can read (0600), surviving a restart', () => {
    const path = file();
    const store = new FileSecretStore(path);
    expect(store.get('provider:a')).toBeNull();
    store.set('provider:a', 'sk-alpha');
    store.set('provider:b', 'sk-beta');
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = new FileSecretStore(path);
    expect(again.get('provider:a')).toBe('sk-alpha');
    again.delete('provider:a');
    expect(new FileSecretStore(path).get('provider:a')).toBeNull();
    expect(new FileSecretStore(path).get('provider:b')).toBe('sk-beta');
  });

  it.runIf(posix)('tightens a file someone made readable by others before using it', () => {
    const path = file();
    writeFileSync(path, JSON.stringify({ 'provider:x': 'sk-x' }));
    chmodSync(path, 0o644);
    expect(new FileSecretStore(path).get('provider:x')).toBe('sk-x');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('reads a damaged file as empty rather than failing', () => {
    const path = file();
    writeFileSync(path, '{not json', { mode: 0o600 });
    expect(new FileSecretStore(path).get('provider:x')).toBeNull();
    writeFileSync(path, '["a"]', { mode: 0o600 });
    expect(new FileSecretStore(path).get('0')).toBeNull();
  });

  it('on the desktop, stores only what the keychain encrypted (never the key in clear)', () => {
    const path = file();
    const keychain = new MockSafeStorage();
    const store = new SafeStorageSecretStore(path, keychain);
    store.set('provider:a', 'sk-very-secret-key');
    expect(readFileSync(path, 'utf8')).not.toContain('sk-very-secret-key');
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new SafeStorageSecretStore(path, keychain).get('provider:a')).toBe('sk-very-secret-key');
    // Another user's (or machine's) keychain cannot read it: the key is absent, not garbage.
    expect(new SafeStorageSecretStore(path, new MockSafeStorage()).get('provider:a')).toBeNull();
    store.delete('provider:a');
    expect(store.get('provider:a')).toBeNull();
  });

  it('refuses to store a key when the system has no keychain, instead of writing it readable', () => {
    const keychain = new MockSafeStorage();
    keychain.available = false;
    const path = file();
    expect(() => new SafeStorageSecretStore(path, keychain).set('provider:a', 'sk-x')).toThrow(/no keychain/);
    expect(new SafeStorageSecretStore(path, keychain).get('provider:a')).toBeNull();
  });
});
