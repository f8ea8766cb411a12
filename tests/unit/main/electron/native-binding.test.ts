import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronSqliteBinding } from '../../../../src/main/electron/native-binding';
import { makeTempDir } from '../../../helpers/temp-dir';

describe('Electron SQLite binding', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('uses the prepared build in development and the unpacked one when packaged', () => {
    const dev = join(dir.path, 'app', '.cache', 'electron-native', 'electron-45.4.1');
    mkdirSync(dev, { recursive: true });
    writeFileSync(join(dev, 'better_sqlite3.node'), '');
    expect(
      electronSqliteBinding({
        isPackaged: false,
        resourcesPath: '/r',
        appPath: join(dir.path, 'app'),
        electronVersion: '45.4.1',
      }),
    ).toBe(join(dev, 'better_sqlite3.node'));
    const resources = join(dir.path, 'resources', 'native');
    mkdirSync(resources, { recursive: true });
    writeFileSync(join(resources, 'better_sqlite3.node'), '');
    expect(
      electronSqliteBinding({
        isPackaged: true,
        resourcesPath: join(dir.path, 'resources'),
        appPath: '/x',
        electronVersion: '45.4.1',
      }),
    ).toBe(join(resources, 'better_sqlite3.node'));
  });

  it('explains how to fix a missing build instead of failing on an ABI mismatch later', () => {
    expect(() =>
      electronSqliteBinding({
        isPackaged: false,
        resourcesPath: '/r',
        appPath: dir.path,
        electronVersion: '99.0.0',
      }),
    ).toThrow(/npm start/);
  });
});
