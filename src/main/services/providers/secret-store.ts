import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

/** Where provider keys live: never in the database, never sent back to a window. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** A JSON map of strings in a file only its owner may read (0600), written whole and atomically. */
export class JsonFileMap {
  constructor(private readonly file: string) {}

  read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    // Tighten a file someone loosened (or an older copy) before reading secrets from it.
    if (process.platform !== 'win32' && (statSync(this.file).mode & 0o077) !== 0) chmodSync(this.file, 0o600);
    try {
      const value = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
    } catch {
      return {};
    }
  }

  write(map: Record<string, string>): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(map), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}

/** Under `hearth serve` and the CLI: keys in a 0600 file beside the data (like ~/.ssh or ~/.netrc). */
export class FileSecretStore implements SecretStore {
  private readonly map: JsonFileMap;

  constructor(file: string) {
    this.map = new JsonFileMap(file);
  }

  get(name: string): string | null {
    return this.map.read()[name] ?? null;
  }

  set(name: string, value: string): void {
    this.map.write({ ...this.map.read(), [name]: value });
  }

  delete(name: string): void {
    const { [name]: _gone, ...rest } = this.map.read();
    this.map.write(rest);
  }
}

/** For tests and one-off CLI use: keys held in memory only. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  get(name: string): string | null {
    return this.values.get(name) ?? null;
  }
  set(name: string, value: string): void {
    this.values.set(name, value);
  }
  delete(name: string): void {
    this.values.delete(name);
  }
}
