import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../../db/open-database';
import { medianOf, robustFactor, type Correction } from './correction';
import {
  memoryCorrection,
  memorySchema,
  recordMemory,
  type MemoryCorrection,
  type MemoryRun,
} from './learned-memory';

/** What a prediction is corrected per: the backend and device it ran on, and the model family. */
export interface SpeedKey {
  backend: string;
  device: string;
  /** The model's architecture ("llama", "qwen3moe"…). */
  family: string;
}

/** One load or one reply: what Hearth predicted beside what happened. */
export interface MeasuredRun extends SpeedKey {
  kind: 'load' | 'reply';
  modelPath: string;
  contextSize: number | null;
  gpuLayers: number | null;
  /** The load's settings (batch, KV type, flash attention…), as JSON. */
  settings: Record<string, unknown>;
  predictedGenerationTps: number | null;
  measuredGenerationTps: number | null;
  predictedPromptTps: number | null;
  measuredPromptTps: number | null;
  promptTokens: number | null;
  generatedTokens: number | null;
  predictedVramBytes: number | null;
  measuredVramBytes: number | null;
  predictedRamBytes: number | null;
  measuredRamBytes: number | null;
  loadMs: number | null;
}

export interface StoredRun extends MeasuredRun {
  id: number;
  at: number;
}

/** The correction for one key, and what was measured for one model. */
export interface SpeedCorrection {
  generation: Correction;
  prompt: Correction;
  /** Median of this model's measured speeds here (any settings). */
  measuredGenerationTps: number | null;
  measuredPromptTps: number | null;
  measuredRuns: number;
  /** This model's last load here, as llama.cpp reported its buffers. */
  measuredVramBytes: number | null;
  measuredRamBytes: number | null;
}

const schema = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('load', 'reply')),
  backend TEXT NOT NULL,
  device TEXT NOT NULL,
  family TEXT NOT NULL,
  model_path TEXT NOT NULL,
  context_size INTEGER,
  gpu_layers INTEGER,
  settings TEXT NOT NULL,
  predicted_generation REAL,
  measured_generation REAL,
  predicted_prompt REAL,
  measured_prompt REAL,
  prompt_tokens INTEGER,
  generated_tokens INTEGER,
  predicted_vram REAL,
  measured_vram REAL,
  predicted_ram REAL,
  measured_ram REAL,
  load_ms REAL
);
CREATE INDEX IF NOT EXISTS runs_by_key ON runs (backend, device, family, at);
CREATE INDEX IF NOT EXISTS runs_by_model ON runs (model_path, at);
`;

interface Row {
  id: number;
  at: number;
  kind: 'load' | 'reply';
  backend: string;
  device: string;
  family: string;
  model_path: string;
  context_size: number | null;
  gpu_layers: number | null;
  settings: string;
  predicted_generation: number | null;
  measured_generation: number | null;
  predicted_prompt: number | null;
  measured_prompt: number | null;
  prompt_tokens: number | null;
  generated_tokens: number | null;
  predicted_vram: number | null;
  measured_vram: number | null;
  predicted_ram: number | null;
  measured_ram: number | null;
  load_ms: number | null;
}

/** Runs a correction looks back over: recent enough to follow a driver update, enough to be robust. */
const window = 50;
/** Keep the file small: older runs than this many per key are dropped. */
const keep = 500;

const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

/**
 * This machine's measured runs, in their own SQLite file (`<data>/measurements.sqlite`, apart from
 * the chats database). Nothing here leaves the machine; deleting the file resets what Hearth learned.
 */
export class MeasurementStore {
  private constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /**
   * Opens (or creates) the file. One that is not a readable measurements database is moved aside
   * (`measurements.sqlite.corrupt-<time>`) and a fresh one started: losing what was learned only
   * makes predictions uncorrected again, which must never stop the app from starting.
   */
  static open(file: string, options: { nativeBinding?: string; now?: () => number } = {}): MeasurementStore {
    const now = options.now ?? Date.now;
    const attempt = (): Db => {
      mkdirSync(dirname(file), { recursive: true });
      const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.exec(schema);
        db.exec(memorySchema);
        db.pragma('user_version = 1');
        return db;
      } catch (error) {
        db.close();
        throw error;
      }
    };
    try {
      return new MeasurementStore(attempt(), now);
    } catch {
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(file + suffix)) renameSync(file + suffix, `${file}.corrupt-${now()}${suffix}`);
      return new MeasurementStore(attempt(), now);
    }
  }

  record(run: MeasuredRun): void {
    this.db
      .prepare(
        `INSERT INTO runs (at, kind, backend, device, family, model_path, context_size, gpu_layers, settings,
           predicted_generation, measured_generation, predicted_prompt, measured_prompt, prompt_tokens,
           generated_tokens, predicted_vram, measured_vram, predicted_ram, measured_ram, load_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.now(),
        run.kind,
        run.backend,
        run.device,
        run.family,
        run.modelPath,
        run.contextSize,
        run.gpuLayers,
        JSON.stringify(run.settings),
        finite(run.predictedGenerationTps),
        finite(run.measuredGenerationTps),
        finite(run.predictedPromptTps),
        finite(run.measuredPromptTps),
        run.promptTokens,
        run.generatedTokens,
        finite(run.predictedVramBytes),
        finite(run.measuredVramBytes),
        finite(run.predictedRamBytes),
        finite(run.measuredRamBytes),
        finite(run.loadMs),
      );
    this.db
      .prepare(
        `DELETE FROM runs WHERE backend = ? AND device = ? AND family = ? AND id NOT IN
           (SELECT id FROM runs WHERE backend = ? AND device = ? AND family = ? ORDER BY id DESC LIMIT ?)`,
      )
      .run(run.backend, run.device, run.family, run.backend, run.device, run.family, keep);
  }

  /** One load's memory per buffer class, predicted beside llama.cpp's report. */
  recordMemory(run: MemoryRun): void {
    recordMemory(this.db, run, this.now());
  }

  /** How memory predictions for this key and side should be scaled, per buffer class. */
  memoryCorrection(key: SpeedKey, side: 'gpu' | 'ram'): MemoryCorrection {
    return memoryCorrection(this.db, key, side);
  }

  /** The newest runs for a key, newest first. */
  runs(key: SpeedKey, limit = window): StoredRun[] {
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE backend = ? AND device = ? AND family = ? ORDER BY id DESC LIMIT ?')
      .all(key.backend, key.device, key.family, limit) as Row[];
    return rows.map(fromRow);
  }

  /** How predictions for this key should be scaled, and what was measured for one model here. */
  correction(key: SpeedKey, modelPath?: string): SpeedCorrection {
    const replies = this.runs(key).filter((r) => r.kind === 'reply');
    const ratio = (measured: number | null, predicted: number | null): number =>
      measured !== null && predicted ? measured / predicted : NaN;
    const mine = modelPath
      ? (
          this.db
            .prepare("SELECT * FROM runs WHERE model_path = ? AND kind = 'reply' ORDER BY id DESC LIMIT ?")
            .all(modelPath, window) as Row[]
        ).map(fromRow)
      : [];
    const values = (pick: (r: StoredRun) => number | null): number[] =>
      mine.map(pick).filter((x): x is number => x !== null);
    return {
      generation: robustFactor(replies.map((r) => ratio(r.measuredGenerationTps, r.predictedGenerationTps))),
      prompt: robustFactor(
        replies
          .filter((r) => r.measuredPromptTps !== null)
          .map((r) => ratio(r.measuredPromptTps, r.predictedPromptTps)),
      ),
      measuredGenerationTps: medianOf(values((r) => r.measuredGenerationTps)),
      measuredPromptTps: medianOf(values((r) => r.measuredPromptTps)),
      measuredRuns: mine.length,
      ...this.lastLoad(modelPath),
    };
  }

  private lastLoad(modelPath: string | undefined): {
    measuredVramBytes: number | null;
    measuredRamBytes: number | null;
  } {
    const row = modelPath
      ? (this.db
          .prepare(
            "SELECT measured_vram, measured_ram FROM runs WHERE model_path = ? AND kind = 'load' AND measured_ram IS NOT NULL ORDER BY id DESC LIMIT 1",
          )
          .get(modelPath) as { measured_vram: number | null; measured_ram: number | null } | undefined)
      : undefined;
    return { measuredVramBytes: row?.measured_vram ?? null, measuredRamBytes: row?.measured_ram ?? null };
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
  }

  /** Forgets everything learned on this machine. */
  reset(): void {
    this.db.exec('DELETE FROM runs; DELETE FROM memory_loads');
  }

  close(): void {
    this.db.close();
  }
}

function fromRow(row: Row): StoredRun {
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.settings);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      settings = parsed as Record<string, unknown>;
  } catch {
    // A hand-edited or damaged row keeps its numbers; its settings are only informative.
  }
  return {
    id: row.id,
    at: row.at,
    kind: row.kind,
    backend: row.backend,
    device: row.device,
    family: row.family,
    modelPath: row.model_path,
    contextSize: row.context_size,
    gpuLayers: row.gpu_layers,
    settings,
    predictedGenerationTps: row.predicted_generation,
    measuredGenerationTps: row.measured_generation,
    predictedPromptTps: row.predicted_prompt,
    measuredPromptTps: row.measured_prompt,
    promptTokens: row.prompt_tokens,
    generatedTokens: row.generated_tokens,
    predictedVramBytes: row.predicted_vram,
    measuredVramBytes: row.measured_vram,
    predictedRamBytes: row.predicted_ram,
    measuredRamBytes: row.measured_ram,
    loadMs: row.load_ms,
  };
}

/** Where the measurements live: their own file in the data folder. */
export const measurementsFile = (dataDir: string): string => join(dataDir, 'measurements.sqlite');
