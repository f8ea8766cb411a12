import { describe, expect, it } from 'vitest';
import { appPaths, defaultDataDir } from '../../../../src/main/services/paths/data-dir';

describe('data dir', () => {
  it('matches where Electron keeps userData for "Hearth" on each OS', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/ana' })).toBe(
      '/home/ana/.config/Hearth',
    );
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/ana' })).toBe(
      '/xdg/Hearth',
    );
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/Hearth',
    );
    expect(
      defaultDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
        home: 'C:\\Users\\ana',
      }),
    ).toMatch(/Roaming[\\/]Hearth$/);
  });

  it('honours HEARTH_DATA_DIR', () => {
    expect(
      defaultDataDir({ platform: 'linux', env: { HEARTH_DATA_DIR: '/data/hearth' }, home: '/home/ana' }),
    ).toBe('/data/hearth');
  });

  it('keeps every file under the data dir', () => {
    const paths = appPaths('/d');
    for (const value of Object.values(paths)) expect(value.startsWith('/d')).toBe(true);
  });
});
