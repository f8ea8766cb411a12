import { settingsSchema, type Settings } from '../../../shared/contract';
import type { Db } from '../db/open-database';

// Like Ollama's keep-alive, longer: reloading a model costs seconds; idle memory costs other apps.
const defaults: Settings = {
  theme: 'system',
  modelsDir: null,
  hfToken: null,
  unloadAfterMinutes: 30,
  maxLoadedModels: 1,
  monitorIntervalMs: 1000,
};

/** What leaves the main process: a saved token shows as its first and last characters only. */
export function publicSettings(settings: Settings): Settings {
  const token = settings.hfToken;
  return { ...settings, hfToken: token ? `${token.slice(0, 3)}…${token.slice(-4)}` : null };
}

/** User settings in SQLite, one JSON value per key; unknown or invalid stored values fall back to defaults. */
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly onChange: (settings: Settings) => void = () => {},
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  }

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // A hand-edited or damaged value is ignored, not fatal.
      }
    }
    const merged = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof Settings)[]) {
      const candidate = settingsSchema.shape[key].safeParse(stored[key]);
      if (candidate.success) Object.assign(merged, { [key]: candidate.data });
    }
    return merged;
  }

  update(patch: Partial<Settings>): Settings {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) upsert.run(key, JSON.stringify(value));
    })();
    const next = this.get();
    this.onChange(next);
    return next;
  }
}
