/** How much to trust this machine's own runs over the public calibration. */
export interface CorrectionOptions {
  /** Below this many runs the prediction stays as it is (a run or two can be anything). */
  minRuns: number;
  /** Pseudo-runs at factor 1: with n runs the log factor is scaled by n / (n + shrink). */
  shrink: number;
  /** Never scale by more than this either way: beyond it the model, not the machine, is wrong. */
  cap: number;
}

export const defaultCorrection: CorrectionOptions = { minRuns: 3, shrink: 1, cap: 4 };

export interface Correction {
  /** Multiply the prediction by this. */
  factor: number;
  /** Runs it comes from. */
  runs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * A robust correction from measured / predicted ratios: the median of their logs (one wild run,
 * a reply cut short or a machine busy with a game, cannot move it), shrunk toward 1 while runs
 * are few, capped either way.
 */
export function robustFactor(ratios: number[], options: CorrectionOptions = defaultCorrection): Correction {
  const logs = ratios.filter((r) => Number.isFinite(r) && r > 0).map(Math.log);
  const runs = logs.length;
  if (runs < options.minRuns) return { factor: 1, runs };
  const weight = runs / (runs + options.shrink);
  const bound = Math.log(options.cap);
  const log = Math.max(-bound, Math.min(bound, weight * median(logs)));
  return { factor: Math.exp(log), runs };
}

export const medianOf = (values: number[]): number | null => (values.length ? median(values) : null);
