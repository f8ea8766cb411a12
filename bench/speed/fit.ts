import { speedOf, type SpeedConstants, type SpeedHost } from '../../src/main/services/estimator/speed-model';
import { eraOf, isCurrent, splitRows, type CalibrationRow } from './rows';
import { fitTopsPerWatt, promptEfficiencyOf, type PromptSample } from './power';

const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const round = (x: number): number => Number(x.toPrecision(4));
const keyOf = (r: CalibrationRow): string => `${r.device.backend}:${r.device.family}`;
const groupBy = <T>(items: T[], key: (t: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** Rows fully on one GPU never touch the host; any host will do for predicting them. */
export const benchHost: SpeedHost = { ramBandwidthGBs: 100, cpuTflops: 1, unifiedMemory: false };

interface TgSample {
  key: string;
  /** Seconds per token measured. */
  t: number;
  /** Seconds the bytes take at peak bandwidth. */
  s: number;
  layers: number;
  moe: boolean;
  current: boolean;
}

/** A group's newest results where it has any, else all of them. */
const newest = <T extends { current: boolean }>(group: T[]): T[] =>
  group.some((x) => x.current) ? group.filter((x) => x.current) : group;

/** Bandwidth efficiency per key given a fixed cost: the median of what each dense row implies. */
function efficiencies(samples: TgSample[], fixedS: number, preferNewest: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, group] of groupBy(
    samples.filter((x) => !x.moe),
    (x) => x.key,
  )) {
    const eff = median((preferNewest ? newest(group) : group).map((x) => x.s / Math.max(1e-6, x.t - fixedS)));
    out.set(key, Math.min(1, Math.max(0.05, eff)));
  }
  return out;
}

/** Squared log error of the dense rows for a fixed cost: the objective the grid search minimizes. */
function logError(samples: TgSample[], fixedS: number, preferNewest: boolean): number {
  const effs = efficiencies(samples, fixedS, preferNewest);
  return samples
    .filter((x) => !x.moe)
    .reduce((sum, x) => {
      const predicted = fixedS + x.s / (effs.get(x.key) ?? 1);
      return sum + Math.log(predicted / x.t) ** 2;
    }, 0);
}

/**
 * A fixed cost can only be told from bandwidth where one device ran models of different sizes;
 * elsewhere the backend takes the identifiable backends' value.
 */
function identifiable(samples: TgSample[]): boolean {
  return [...groupBy(samples, (x) => x.key).values()].some((group) => {
    const sizes = group.map((x) => x.s);
    return Math.max(...sizes) / Math.min(...sizes) >= 1.5;
  });
}

/** A row's measurements, rescaled to today's llama.cpp once the era factors are known. */
interface Sample {
  r: CalibrationRow;
  tg: number | null;
  pp: number | null;
  current: boolean;
}

const promptKey = (r: CalibrationRow): string => `${keyOf(r)}${r.work.quantized ? '' : ':f16'}`;

/**
 * One fit. The fixed cost is searched on today's rows where they can tell it (older builds
 * launched kernels differently); with `preferNewest` the efficiencies too come from a family's
 * newest rows, otherwise (rows already rescaled to today) from all of them.
 */
function fitOnce(samples: Sample[], base: SpeedConstants, preferNewest: boolean): SpeedConstants {
  const tg: TgSample[] = samples.flatMap(({ r, tg: measured, current }) =>
    measured
      ? [
          {
            key: keyOf(r),
            t: 1 / measured,
            s: r.work.gpuBytes / (r.device.bandwidthGBs * 1e9),
            layers: r.work.layers,
            moe: r.work.moe,
            current,
          },
        ]
      : [],
  );
  const byBackend = groupBy(tg, (x) => x.key.split(':')[0] ?? '');
  const grid = Array.from({ length: 81 }, (_, i) => i * 0.0001); // 0 to 8 ms
  const fixed = new Map<string, number>();
  for (const [backend, all] of byBackend) {
    const samples = identifiable(all.filter((x) => x.current)) ? all.filter((x) => x.current) : all;
    if (!identifiable(samples)) continue;
    let best = 0;
    for (const f of grid)
      if (logError(samples, f, preferNewest) < logError(samples, best, preferNewest)) best = f;
    fixed.set(backend, best);
  }
  // A backend whose data cannot tell takes the smallest identified cost: a larger one would push
  // its efficiencies past 1 on the fastest rows.
  const fallbackFixed = fixed.size
    ? Math.min(...fixed.values())
    : (base.generation.fixedMs.default ?? 0) / 1000;
  const fixedMs: Record<string, number> = { default: round(fallbackFixed * 1000) };
  const efficiency: Record<string, number> = {};
  const moeLayerMs: Record<string, number> = {};
  for (const [backend, samples] of byBackend) {
    const f = fixed.get(backend) ?? fallbackFixed;
    fixedMs[backend] = round(f * 1000);
    const effs = efficiencies(samples, f, preferNewest);
    for (const [key, eff] of effs) efficiency[key] = round(eff);
    if (effs.size) efficiency[backend] = round(median([...effs.values()]));
    const moe = samples.filter((x) => x.moe);
    if (moe.length) {
      const perLayer = moe.map(
        (x) => (x.t - f - x.s / (effs.get(x.key) ?? efficiency[backend] ?? 1)) / x.layers,
      );
      moeLayerMs[backend] = round(Math.max(0, median(perLayer)) * 1000);
    }
  }
  const families = Object.entries(efficiency).filter(([k]) => k.includes(':'));
  efficiency.default = round(median(families.map(([, v]) => v)));
  const moeValues = Object.values(moeLayerMs);
  moeLayerMs.default = moeValues.length
    ? round(median(moeValues))
    : (base.generation.moeLayerMs.default ?? 0);

  const ppSamples: PromptSample[] = samples.flatMap(({ r, pp: measured, current }) =>
    measured ? [{ r, key: promptKey(r), pp: measured, current }] : [],
  );
  // Power caps from dense models only: a mixture of experts has its own factor, fitted later.
  const topsPerWatt = fitTopsPerWatt(
    ppSamples.filter((x) => !x.r.work.moe),
    preferNewest,
  );
  const pp = ppSamples.map((x) => ({ ...x, eff: promptEfficiencyOf(x, topsPerWatt) }));
  const prompt: Record<string, number> = {};
  for (const [key, group] of groupBy(pp, (x) => x.key))
    prompt[key] = round(median((preferNewest ? newest(group) : group).map((x) => x.eff)));
  // Backend and overall defaults, for quantized and F16 weights apart.
  const families2 = Object.entries(prompt);
  for (const f16 of [false, true]) {
    const mine = families2.filter(([k]) => k.endsWith(':f16') === f16);
    const suffix = f16 ? ':f16' : '';
    for (const [backend, group] of groupBy(mine, ([k]) => k.split(':')[0] ?? ''))
      prompt[`${backend}${suffix}`] = round(median(group.map(([, v]) => v)));
    if (mine.length) prompt[f16 ? 'default:f16' : 'default'] = round(median(mine.map(([, v]) => v)));
  }
  return {
    generation: { fixedMs, moeLayerMs, efficiency },
    prompt: { efficiency: prompt, topsPerWatt },
    cpu: base.cpu,
    pcieGBs: base.pcieGBs,
  };
}

/**
 * How an older build compares with today's, per backend and era: an extra per-token cost for
 * generation (before CUDA graphs every kernel launch cost more), and a factor on prompt speed for
 * quantized and F16 weights apart (the quantized prompt kernels changed most). 0 and 1 where unknown.
 */
export type EraFactors = Record<string, { generationMs: number; prompt: number; promptF16: number }>;

const noEra = { generationMs: 0, prompt: 1, promptF16: 1 };
export const eraFactorOf = (factors: EraFactors | undefined, r: CalibrationRow): EraFactors[string] =>
  factors?.[`${r.device.backend}:${eraOf(r.row)}`] ?? noEra;

/** A prediction for the build a row ran, from today's prediction and its era. */
function forEra(
  p: { generationTps: number | null; promptTps: number | null },
  f: EraFactors[string],
  quantized: boolean,
): { generationTps: number | null; promptTps: number | null } {
  return {
    generationTps: p.generationTps && 1 / (1 / p.generationTps + f.generationMs / 1000),
    promptTps: p.promptTps && p.promptTps * (quantized ? f.prompt : f.promptF16),
  };
}

/**
 * Fits the speed model's constants to public results: per backend a per-token fixed cost (grid
 * search on the log error), per backend and family a bandwidth efficiency and a prompt
 * efficiency (medians, robust to a bad row), a per-layer routing cost and a prompt factor for
 * MoE models. Older builds are first compared with today's on the families both ran (the era
 * factors), and their results rescaled, so every row counts and the constants describe today's
 * llama.cpp. Callers pass only the fitted part of the data: nothing here knows about held-out rows.
 */
export function fitSpeedConstants(
  rows: CalibrationRow[],
  base: SpeedConstants,
): SpeedConstants & { eraFactors: EraFactors } {
  const raw = rows.map((r) => ({ r, tg: r.row.tg, pp: r.row.pp, current: isCurrent(r.row) }));
  const first = fitOnce(raw, base, true);
  const currentKeys = new Set(raw.filter((x) => x.current).map((x) => keyOf(x.r)));
  const eraFactors: EraFactors = {};
  for (const [era, group] of groupBy(
    raw.filter((x) => !x.current && !x.r.work.moe && currentKeys.has(keyOf(x.r))),
    (x) => `${x.r.device.backend}:${eraOf(x.r.row)}`,
  )) {
    const predicted = group.map((x) => ({ x, p: speedOf(x.r.work, [x.r.device], benchHost, first) }));
    const extraMs = predicted.flatMap(({ x, p }) =>
      x.tg && p.generationTps ? [(1 / x.tg - 1 / p.generationTps) * 1000] : [],
    );
    const promptRatio = (quantized: boolean): number => {
      const ratios = predicted.flatMap(({ x, p }) =>
        x.pp && p.promptTps && x.r.work.quantized === quantized ? [x.pp / p.promptTps] : [],
      );
      return ratios.length ? round(median(ratios)) : 1;
    };
    eraFactors[era] = {
      generationMs: extraMs.length ? round(median(extraMs)) : 0,
      prompt: promptRatio(true),
      promptF16: promptRatio(false),
    };
  }
  const normalized = raw.map((x) => {
    const f = eraFactorOf(eraFactors, x.r);
    return {
      ...x,
      tg: x.tg && 1 / (1 / x.tg - f.generationMs / 1000),
      pp: x.pp && x.pp / (x.r.work.quantized ? f.prompt : f.promptF16),
    };
  });
  const fitted = fitOnce(normalized, base, false);
  // Prompt processing of a mixture of experts: each expert multiplies a slice of the batch, so
  // its matrix units run far below a dense model's rate.
  const moeRatios = normalized.flatMap((x) => {
    if (!x.r.work.moe || !x.pp) return [];
    const p = speedOf(x.r.work, [x.r.device], benchHost, {
      ...fitted,
      // Against the rate without a power cap: experts keep the units too idle to reach it.
      prompt: { ...fitted.prompt, moeFactor: 1, topsPerWatt: {} },
    });
    return p.promptTps ? [x.pp / p.promptTps] : [];
  });
  const moeFactor = moeRatios.length ? round(median(moeRatios)) : (base.prompt.moeFactor ?? 1);
  return { ...fitted, prompt: { ...fitted.prompt, moeFactor }, eraFactors };
}

export interface Accuracy {
  rows: number;
  /** Median of |predicted / measured - 1|. */
  medianAbsError: number | null;
  /** Median of predicted / measured: above 1 is optimistic. */
  medianRatio: number | null;
  /** Share of rows predicted within ±25 %. */
  within25: number | null;
}

function accuracy(ratios: number[]): Accuracy {
  return {
    rows: ratios.length,
    medianAbsError: ratios.length ? round(median(ratios.map((r) => Math.abs(r - 1)))) : null,
    medianRatio: ratios.length ? round(median(ratios)) : null,
    within25: ratios.length
      ? round(ratios.filter((r) => Math.abs(r - 1) <= 0.25).length / ratios.length)
      : null,
  };
}

/** Predicted / measured for every row, generation and prompt separately. */
export function evaluate(
  rows: CalibrationRow[],
  predict: (r: CalibrationRow) => { generationTps: number | null; promptTps: number | null },
): { generation: Accuracy; prompt: Accuracy; worst: { id: string; metric: string; ratio: number }[] } {
  const gen: { id: string; ratio: number }[] = [];
  const pp: { id: string; ratio: number }[] = [];
  for (const r of rows) {
    const p = predict(r);
    if (r.row.tg && p.generationTps) gen.push({ id: r.row.id, ratio: p.generationTps / r.row.tg });
    if (r.row.pp && p.promptTps) pp.push({ id: r.row.id, ratio: p.promptTps / r.row.pp });
  }
  const worst = [...gen.map((g) => ({ ...g, metric: 'tg' })), ...pp.map((g) => ({ ...g, metric: 'pp' }))]
    .sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)))
    .slice(0, 5)
    .map((w) => ({ ...w, ratio: round(w.ratio) }));
  return { generation: accuracy(gen.map((g) => g.ratio)), prompt: accuracy(pp.map((g) => g.ratio)), worst };
}

/** The fitted model's prediction of a public row. */
export const predictRow =
  (k: SpeedConstants, eraFactors?: EraFactors) =>
  (r: CalibrationRow): { generationTps: number | null; promptTps: number | null } =>
    // A row from an older build is compared with what today's prediction says that build ran at.
    forEra(speedOf(r.work, [r.device], benchHost, k), eraFactorOf(eraFactors, r), r.work.quantized);

/** The constants from the fitted part of the rows only: what bench/calibrate-speed.ts writes. */
export function calibrate(
  rows: CalibrationRow[],
  base: SpeedConstants,
): SpeedConstants & { eraFactors: EraFactors } {
  return fitSpeedConstants(splitRows(rows).fitted, base);
}
