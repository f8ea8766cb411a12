import calibration from '../../src/main/services/estimator/speed-calibration.json';
import { speedConstants } from '../../src/main/services/estimator/speed-model';
import { evaluate, predictRow, type EraFactors } from './fit';
import { isCurrent, loadPublicRows, splitRows, type CalibrationRow } from './rows';

const eraFactors = (calibration as { eraFactors?: EraFactors }).eraFactors;

/** Hearth's speed model before this calibration: one bandwidth and one compute efficiency for every GPU. */
const previousModel = (r: CalibrationRow): { generationTps: number; promptTps: number } => ({
  generationTps: (r.device.bandwidthGBs * 1e9 * 0.75) / r.work.gpuBytes,
  promptTps: (r.device.fp16Tflops * 1e12 * 0.35) / (2 * r.work.activeParams),
});

/**
 * The speed half of `npm run bench -- estimator`: predicted / measured on public llama-bench
 * results, on the rows the constants were fitted to and on the held-out rows (never fitted), for
 * generation (tg) and prompt processing (pp). Rows from older llama.cpp builds are compared with
 * the prediction scaled by their era's factor (see bench/speed/fit.ts); the same rows from today's
 * scoreboards alone are reported too.
 */
export function speedAccuracy(): Record<string, unknown> {
  const rows = loadPublicRows();
  const { fitted, heldOut } = splitRows(rows);
  const model = predictRow(speedConstants, eraFactors);
  const part = (set: CalibrationRow[]) => evaluate(set, model);
  return {
    target: 'share of rows predicted within ±25 %: ≥ 0.8 for generation and prompt, on each part',
    data: 'bench/data/llama-bench-public.json (each row with its source URL)',
    rows: { total: rows.length, fitted: fitted.length, heldOut: heldOut.length },
    fitted: part(fitted),
    heldOut: part(heldOut),
    currentBuildsOnly: {
      fitted: part(fitted.filter((r) => isCurrent(r.row))),
      heldOut: part(heldOut.filter((r) => isCurrent(r.row))),
    },
    previousModel: {
      note: 'the single-constant model this replaces (0.75 of bandwidth, 0.35 of FP16 TFLOPS), same rows, no era factors',
      fitted: evaluate(fitted, previousModel),
      heldOut: evaluate(heldOut, previousModel),
    },
    eraFactors,
    constants: {
      fixedMs: speedConstants.generation.fixedMs,
      moeLayerMs: speedConstants.generation.moeLayerMs,
      moePromptFactor: speedConstants.prompt.moeFactor,
    },
  };
}
