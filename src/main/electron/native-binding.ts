import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface NativeBindingInput {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
  electronVersion: string;
}

/**
 * Where the Electron-ABI build of better-sqlite3 lives. node_modules keeps the Node build (for
 * tests and `hearth serve`); `npm start` and packaging prepare this one beside it.
 */
export function electronSqliteBinding(input: NativeBindingInput): string {
  const file = input.isPackaged
    ? join(input.resourcesPath, 'native', 'better_sqlite3.node')
    : join(
        input.appPath,
        '.cache',
        'electron-native',
        `electron-${input.electronVersion}`,
        'better_sqlite3.node',
      );
  if (!existsSync(file)) {
    throw new Error(
      `The SQLite module for Electron ${input.electronVersion} is missing at ${file}: run \`npm start\`, which prepares it`,
    );
  }
  return file;
}
