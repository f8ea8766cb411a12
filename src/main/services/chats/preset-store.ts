import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract';
import type { Sampling } from '../../engine-process/protocol';
import type { Db } from '../db/open-database';

export interface Preset {
  id: string;
  name: string;
  systemPrompt: string | null;
  params: Partial<Sampling>;
  createdAt: number;
}

interface PresetRow {
  id: string;
  name: string;
  system_prompt: string | null;
  params: string;
  created_at: number;
}

const toPreset = (r: PresetRow): Preset => ({
  id: r.id,
  name: r.name,
  systemPrompt: r.system_prompt,
  params: JSON.parse(r.params) as Partial<Sampling>,
  createdAt: r.created_at,
});

/** Named system prompts with sampling ("Coder, temperature 0.2"), applied to a conversation in one click. */
export class PresetStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Preset[] {
    return (this.db.prepare('SELECT * FROM presets ORDER BY name COLLATE NOCASE').all() as PresetRow[]).map(
      toPreset,
    );
  }

  /** Same name: the preset is replaced in place (its id is kept). */
  save(input: { name: string; systemPrompt: string | null; params: Partial<Sampling> }): Preset {
    this.db
      .prepare(
        `INSERT INTO presets (id, name, system_prompt, params, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET system_prompt = excluded.system_prompt, params = excluded.params`,
      )
      .run(randomUUID(), input.name, input.systemPrompt, JSON.stringify(input.params), this.now());
    return toPreset(this.db.prepare('SELECT * FROM presets WHERE name = ?').get(input.name) as PresetRow);
  }

  delete(id: string): void {
    if (this.db.prepare('DELETE FROM presets WHERE id = ?').run(id).changes === 0)
      throw new AppError('NOT_FOUND', 'No such preset');
  }
}
