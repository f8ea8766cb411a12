import { powerFactor } from '../../src/main/services/estimator/speed-model';
import type { CalibrationRow } from './rows';

/** One measured prompt rate with what the fit needs: its family, its key, its peak. */
export interface PromptSample {
  r: CalibrationRow;
  /** Efficiency key: "backend:family", with ":f16" for unquantized weights. */
  key: string;
  /** Prompt tokens per second measured (already rescaled to today's build). */
  pp: number;
  current: boolean;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Share of peak each sample reached, its power cap taken out. */
export function promptEfficiencyOf(x: PromptSample, topsPerWatt: Record<string, number>): number {
  const peak = x.r.work.quantized ? x.r.device.int8Tops : x.r.device.fp16Tflops;
  return (2 * x.r.work.activeParams * x.pp) / (peak * powerFactor(x.r.device, topsPerWatt) * 1e12);
}

/** TOPS per watt tried: 0.3 to 5, 5 % apart. */
const grid = Array.from({ length: 58 }, (_, i) => 0.3 * 1.05 ** i);

/**
 * Per family, the sustained TOPS per watt that best explains its prompt rates (squared log error
 * around each key's median efficiency), kept only where it takes 10 % or more off two different
 * cards, each of which it explains better (a single card's shortfall may be its own: a driver, a
 * thermal limit), and cuts the family's error by a quarter.
 */
export function fitTopsPerWatt(samples: PromptSample[], preferNewest: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  const families = new Map<string, PromptSample[]>();
  for (const x of samples) {
    const family = `${x.r.device.backend}:${x.r.device.family}`;
    families.set(family, [...(families.get(family) ?? []), x]);
  }
  for (const [family, group] of families) {
    /** Squared log error of each card's rows around their key's median efficiency. */
    const errors = (table: Record<string, number>): Map<string, number> => {
      const perCard = new Map<string, number>();
      const byKey = new Map<string, PromptSample[]>();
      for (const x of group) byKey.set(x.key, [...(byKey.get(x.key) ?? []), x]);
      for (const keyed of byKey.values()) {
        const basis = preferNewest && keyed.some((x) => x.current) ? keyed.filter((x) => x.current) : keyed;
        const e = median(basis.map((x) => promptEfficiencyOf(x, table)));
        for (const x of keyed) {
          const card = x.r.row.device;
          perCard.set(card, (perCard.get(card) ?? 0) + Math.log(promptEfficiencyOf(x, table) / e) ** 2);
        }
      }
      return perCard;
    };
    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    const uncapped = errors({});
    let best: number | null = null;
    // A cap must explain a real share of the family's spread (a quarter), not rescale noise.
    let bestError = total(uncapped) * 0.75;
    for (const w of grid) {
      const table = { [family]: w };
      const capped = new Set(
        group.filter((x) => powerFactor(x.r.device, table) < 0.9).map((x) => x.r.row.device),
      );
      const withCap = errors(table);
      // Every card it slows must be explained better by it: a cap that bends a card that was fine
      // to fit one outlier is the outlier's story, not the family's.
      const helped = [...capped].every((card) => (withCap.get(card) ?? 0) < (uncapped.get(card) ?? 0));
      if (capped.size < 2 || !helped) continue;
      if (total(withCap) < bestError) [best, bestError] = [w, total(withCap)];
    }
    if (best !== null) out[family] = Number(best.toPrecision(4));
  }
  return out;
}
