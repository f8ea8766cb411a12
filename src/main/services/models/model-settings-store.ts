import type { z } from 'zod';
import { modelLoadSettingsSchema } from '../../../shared/contract/model-settings';
import type { Db } from '../db/open-database';

export type ModelLoadSettings = z.output<typeof modelLoadSettingsSchema>;

/** Per-model load overrides (GPU layers, context, KV type…), remembered in SQLite. */
export class ModelSettingsStore {
  constructor(private readonly db: Db) {
    db.exec('CREATE TABLE IF NOT EXISTS model_settings (model_id TEXT PRIMARY KEY, settings TEXT NOT NULL)');
  }

  get(modelId: string): ModelLoadSettings {
    const row = this.db.prepare('SELECT settings FROM model_settings WHERE model_id = ?').get(modelId) as
      { settings: string } | undefined;
    if (!row) return {};
    try {
      const parsed = modelLoadSettingsSchema.safeParse(JSON.parse(row.settings));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  set(modelId: string, settings: ModelLoadSettings): ModelLoadSettings {
    this.db
      .prepare(
        'INSERT INTO model_settings (model_id, settings) VALUES (?, ?) ON CONFLICT(model_id) DO UPDATE SET settings = excluded.settings',
      )
      .run(modelId, JSON.stringify(settings));
    return settings;
  }
}
