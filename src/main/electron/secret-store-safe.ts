import { AppError } from '../../shared/contract';
import { JsonFileMap, type SecretStore } from '../services/providers/secret-store';

/** The part of Electron's safeStorage Hearth uses (the OS keychain: Keychain, DPAPI, libsecret/kwallet). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * On the desktop: each key encrypted by the OS keychain through safeStorage, the ciphertext kept
 * in a 0600 file. Without a keychain a key is refused rather than stored readable.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly map: JsonFileMap;

  constructor(
    file: string,
    private readonly safeStorage: SafeStorageLike,
  ) {
    this.map = new JsonFileMap(file);
  }

  get(name: string): string | null {
    const stored = this.map.read()[name];
    if (stored === undefined || !this.safeStorage.isEncryptionAvailable()) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      // Encrypted by another user or keychain: as good as absent.
      return null;
    }
  }

  set(name: string, value: string): void {
    if (!this.safeStorage.isEncryptionAvailable())
      throw new AppError(
        'FORBIDDEN',
        'This system offers no keychain to keep the key safe; use the server without a key, or set one up',
      );
    const encrypted = this.safeStorage.encryptString(value).toString('base64');
    this.map.write({ ...this.map.read(), [name]: encrypted });
  }

  delete(name: string): void {
    const { [name]: _gone, ...rest } = this.map.read();
    this.map.write(rest);
  }
}
