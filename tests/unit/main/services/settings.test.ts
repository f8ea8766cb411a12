import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../../src/main/services/db/open-database';
import { publicSettings, SettingsService } from '../../../../src/main/services/settings/settings-service';
import { makeTempDir } from '../../../helpers/temp-dir';

describe('settings on a real SQLite file', () => {
  const dir = makeTempDir();
  afterEach(() => dir.cleanup());

  it('starts from defaults, persists updates across reopen, and announces changes', () => {
    const file = join(dir.path, 'nested', 'hearth.db');
    const changes: unknown[] = [];
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const settings = new SettingsService(db, (s) => changes.push(s));
    expect(settings.get()).toEqual({
      theme: 'system',
      modelsDir: null,
      hfToken: null,
      unloadAfterMinutes: 30,
      maxLoadedModels: 1,
      monitorIntervalMs: 1000,
    });
    settings.update({ theme: 'dark', modelsDir: '/models', unloadAfterMinutes: 5, maxLoadedModels: 1 });
    expect(changes).toEqual([
      {
        theme: 'dark',
        modelsDir: '/models',
        hfToken: null,
        unloadAfterMinutes: 5,
        maxLoadedModels: 1,
        monitorIntervalMs: 1000,
      },
    ]);
    db.close();

    const reopened = openDatabase(file);
    expect(new SettingsService(reopened).get()).toEqual({
      theme: 'dark',
      modelsDir: '/models',
      hfToken: null,
      unloadAfterMinutes: 5,
      maxLoadedModels: 1,
      monitorIntervalMs: 1000,
    });
    reopened.close();
  });

  it('falls back to the default for a damaged or invalid stored value, keeping the others', () => {
    const db = openDatabase(join(dir.path, 'hearth.db'));
    const settings = new SettingsService(db);
    settings.update({ modelsDir: '/m' });
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('theme', '{not json')").run();
    expect(settings.get()).toEqual({
      theme: 'system',
      modelsDir: '/m',
      hfToken: null,
      unloadAfterMinutes: 30,
      maxLoadedModels: 1,
      monitorIntervalMs: 1000,
    });
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('theme', '\"neon\"')").run();
    expect(settings.get().theme).toBe('system');
    db.close();
  });

  it('shows a saved token outside the main process only as a hint', () => {
    const db = openDatabase(join(dir.path, 'token.db'));
    const settings = new SettingsService(db);
    const token = `hf_${'Zz9'.repeat(12)}`;
    settings.update({ hfToken: token });
    // The main process (the Hugging Face client) reads the whole token…
    expect(settings.get().hfToken).toBe(token);
    // …windows and API clients get a hint.
    expect(publicSettings(settings.get()).hfToken).toBe('hf_…9Zz9');
    expect(JSON.stringify(publicSettings(settings.get()))).not.toContain(token.slice(3, 20));
    expect(
      publicSettings(new SettingsService(openDatabase(join(dir.path, 'none.db'))).get()).hfToken,
    ).toBeNull();
    db.close();
  });
});
