import type { Db } from '../../db/open-database';
import type { LoadResult } from '../../../engine-process/protocol';
import { robustFactor, type CorrectionOptions } from './correction';
import type { SpeedKey } from './measurement-store';

/** The classes llama.cpp reports its buffers in, as the estimator predicts them. */
export interface MemoryClasses {
  weights: number;
  kv: number;
  /** Compute buffers and the logits (output) buffer. */
  compute: number;
}

/**
 * One load's memory on one side: GPU memory for a load with layers on a GPU (keyed by that GPU),
 * RAM for a CPU-only load (keyed by the CPU). Predicted without corrections, measured from
 * llama.cpp's own buffer report.
 */
export interface MemoryRun extends SpeedKey {
  modelPath: string;
  side: 'gpu' | 'ram';
  predicted: MemoryClasses;
  measured: MemoryClasses;
}

/** What a class's prediction is multiplied by, and from how many loads. */
export interface MemoryCorrection {
  factors: MemoryClasses;
  loads: number;
}

export const memorySchema = `
CREATE TABLE IF NOT EXISTS memory_loads (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  backend TEXT NOT NULL,
  device TEXT NOT NULL,
  family TEXT NOT NULL,
  model_path TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('gpu', 'ram')),
  predicted_weights REAL NOT NULL,
  measured_weights REAL NOT NULL,
  predicted_kv REAL NOT NULL,
  measured_kv REAL NOT NULL,
  predicted_compute REAL NOT NULL,
  measured_compute REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS memory_by_key ON memory_loads (backend, device, family, side, id);
`;

/**
 * Memory predictions are already close (the memory bench is within ±10 %): a machine's loads may
 * nudge them by at most a quarter either way, from three loads on, one odd load changing nothing.
 */
export const memoryCorrectionOptions: CorrectionOptions = { minRuns: 3, shrink: 1, cap: 1.25 };

/** Loads a correction looks back over, and how many are kept per key and side. */
const window = 30;
const keep = 200;

/** Host buffers (CPU, CPU_Mapped, CPU_REPACK, pinned CUDA_Host…) are RAM; the rest GPU memory. */
const isHost = (name: string): boolean => /^CPU|_Host$/i.test(name);

/** llama.cpp's buffers on one side, summed per class; null when it reported none there. */
export function measuredClasses(
  buffers: NonNullable<LoadResult['buffers']>,
  side: 'gpu' | 'ram',
): MemoryClasses | null {
  const mine = buffers.filter((b) => isHost(b.name) === (side === 'ram') && Number.isFinite(b.bytes));
  if (mine.length === 0) return null;
  const sum = (kinds: string[]): number =>
    mine.filter((b) => kinds.includes(b.kind)).reduce((s, b) => s + Math.max(0, b.bytes), 0);
  return { weights: sum(['model']), kv: sum(['KV']), compute: sum(['compute', 'output']) };
}

const valid = (c: MemoryClasses): boolean =>
  [c.weights, c.kv, c.compute].every((x) => Number.isFinite(x) && x >= 0);

export function recordMemory(db: Db, run: MemoryRun, at: number): void {
  if (!valid(run.predicted) || !valid(run.measured)) return;
  db.prepare(
    `INSERT INTO memory_loads (at, backend, device, family, model_path, side, predicted_weights,
       measured_weights, predicted_kv, measured_kv, predicted_compute, measured_compute)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    at,
    run.backend,
    run.device,
    run.family,
    run.modelPath,
    run.side,
    run.predicted.weights,
    run.measured.weights,
    run.predicted.kv,
    run.measured.kv,
    run.predicted.compute,
    run.measured.compute,
  );
  db.prepare(
    `DELETE FROM memory_loads WHERE backend = ? AND device = ? AND family = ? AND side = ? AND id NOT IN
       (SELECT id FROM memory_loads WHERE backend = ? AND device = ? AND family = ? AND side = ?
        ORDER BY id DESC LIMIT ?)`,
  ).run(run.backend, run.device, run.family, run.side, run.backend, run.device, run.family, run.side, keep);
}

interface Row {
  predicted_weights: number;
  measured_weights: number;
  predicted_kv: number;
  measured_kv: number;
  predicted_compute: number;
  measured_compute: number;
}

/**
 * Per class, the robust factor (median of log ratios, shrunk toward 1, capped) from the newest
 * loads of this key. A class the prediction put nothing in (no KV on a side) is left at 1.
 */
export function memoryCorrection(db: Db, key: SpeedKey, side: 'gpu' | 'ram'): MemoryCorrection {
  const rows = db
    .prepare(
      `SELECT predicted_weights, measured_weights, predicted_kv, measured_kv, predicted_compute,
         measured_compute FROM memory_loads WHERE backend = ? AND device = ? AND family = ? AND side = ?
       ORDER BY id DESC LIMIT ?`,
    )
    .all(key.backend, key.device, key.family, side, window) as Row[];
  // A class is only compared where both sides have something: a ratio to zero says nothing.
  const ratios = (p: (r: Row) => number, m: (r: Row) => number): number[] =>
    rows.filter((r) => p(r) > 0 && m(r) > 0).map((r) => m(r) / p(r));
  const factor = (p: (r: Row) => number, m: (r: Row) => number): number =>
    robustFactor(ratios(p, m), memoryCorrectionOptions).factor;
  return {
    factors: {
      weights: factor(
        (r) => r.predicted_weights,
        (r) => r.measured_weights,
      ),
      kv: factor(
        (r) => r.predicted_kv,
        (r) => r.measured_kv,
      ),
      compute: factor(
        (r) => r.predicted_compute,
        (r) => r.measured_compute,
      ),
    },
    loads: rows.length,
  };
}

/** Bytes of the classes after the factors, and what the whole side is scaled by. */
export function scaledTotal(bytes: MemoryClasses, factors: MemoryClasses): { total: number; factor: number } {
  const before = bytes.weights + bytes.kv + bytes.compute;
  const total = bytes.weights * factors.weights + bytes.kv * factors.kv + bytes.compute * factors.compute;
  return { total, factor: before > 0 ? total / before : 1 };
}

/**
 * "GPU memory predictions on this GPU are scaled by 1.04 (compute buffers by 1.18) from 6 measured
 * loads." The classes that moved are named: a large compute correction is a small share of the total.
 */
export function memoryNote(
  side: 'gpu' | 'ram',
  factor: number,
  loads: number,
  factors: MemoryClasses,
): string {
  const what = side === 'gpu' ? 'GPU memory predictions on this GPU' : 'RAM predictions on this CPU';
  const { minRuns } = memoryCorrectionOptions;
  if (loads < minRuns) {
    const where = side === 'gpu' ? 'GPU memory on this GPU is' : 'RAM on this CPU is';
    return `${loads} measured load${loads === 1 ? '' : 's'}: ${where} corrected from ${minRuns}.`;
  }
  const names: [keyof MemoryClasses, string][] = [
    ['weights', 'weights'],
    ['kv', 'KV cache'],
    ['compute', 'compute buffers'],
  ];
  const moved = names
    .filter(([k]) => Math.abs(factors[k] - 1) >= 0.02)
    .map(([k, name]) => `${name} by ${factors[k].toFixed(2)}`);
  if (moved.length === 0) return `${what} match ${loads} measured loads.`;
  return `${what} are scaled by ${factor.toFixed(2)} (${moved.join(', ')}) from ${loads} measured loads.`;
}
