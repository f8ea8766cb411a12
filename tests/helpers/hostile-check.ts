import { AppError, type FitEstimate } from '../../src/shared/contract';
import { isSafeText } from '../../src/shared/domain/safe-text';
import { hyperparameterBounds } from '../../src/main/services/estimator/header-values';
import { estimateFit } from '../../src/main/services/estimator/fit';
import { budgetFromProfile, type MachineBudget } from '../../src/main/services/estimator/machine-budget';
import { modelFacts, type ModelFacts } from '../../src/main/services/estimator/model-facts';
import type { ByteSource } from '../../src/main/services/gguf/byte-source';
import { readGgufHeader } from '../../src/main/services/gguf/gguf-reader';
import { cpuOnlyProfile, profileWith } from './estimator';

/** Machines every hostile model is estimated for: no GPU, one small and one big card, two cards, an Apple chip. */
export const hostileBudgets: { label: string; budget: MachineBudget }[] = [
  { label: 'CPU only', budget: budgetFromProfile(cpuOnlyProfile) },
  { label: 'RTX 3060 12 GB', budget: budgetFromProfile(profileWith('RTX 3060 12 GB')) },
  { label: 'H100 80GB', budget: budgetFromProfile(profileWith('H100 80GB')) },
  { label: '2x Tesla P40', budget: budgetFromProfile(profileWith('2x Tesla P40')) },
  { label: 'M2 Max 64GB', budget: budgetFromProfile(profileWith('M2 Max 64GB')) },
];

export type Outcome = { ok: true; facts: ModelFacts; fits: FitEstimate[] } | { ok: false; error: unknown };

/** What the library and the Models page do with a file: read its header, then estimate it on every machine. */
export async function parseAndEstimate(source: ByteSource): Promise<Outcome> {
  try {
    const facts = modelFacts(await readGgufHeader(source));
    const fits = hostileBudgets.flatMap(({ budget }) => [
      estimateFit(facts, budget),
      // The largest context it claims, and a quantized cache: the paths that size the most.
      estimateFit(facts, budget, { contextSize: facts.trainContextSize, kvCacheType: 'q4_0' }),
    ]);
    return { ok: true, facts, fits };
  } catch (error) {
    return { ok: false, error };
  }
}

function numbersOf(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(numbersOf);
}

/** Everything wrong with an outcome: empty for a clear refusal or a sane estimate. */
export function problemsWith(outcome: Outcome): string[] {
  if (!outcome.ok) {
    const error = outcome.error;
    if (!(error instanceof AppError)) return [`crashed: ${String(error)}`];
    const problems: string[] = [];
    if (error.code !== 'INVALID_MODEL') problems.push(`code ${error.code}, not INVALID_MODEL`);
    if (!isSafeText(error.message, 600))
      problems.push(`unsafe or unbounded message: ${JSON.stringify(error.message.slice(0, 200))}`);
    return problems;
  }
  const { facts, fits } = outcome;
  const problems: string[] = [];
  const { layers } = hyperparameterBounds;
  if (facts.layers < layers.min || facts.layers > layers.max) problems.push(`${facts.layers} layers`);
  for (const perLayer of [facts.kvHeads, facts.swaLayers, facts.bytes.layers, facts.bytes.expertLayers])
    if (perLayer.length !== facts.layers)
      problems.push(`a per-layer array of ${perLayer.length} for ${facts.layers} layers`);
  for (const text of [facts.name, facts.architecture, facts.quant])
    if (!isSafeText(text)) problems.push(`unsafe text ${JSON.stringify(text.slice(0, 80))}`);
  for (const fit of fits) {
    const bad = numbersOf(fit).filter((n) => !Number.isFinite(n) || n < 0);
    if (bad.length > 0) problems.push(`estimate with ${bad.join(', ')}`);
    if (fit.gpuLayers > fit.totalLayers)
      problems.push(`${fit.gpuLayers} of ${fit.totalLayers} layers on the GPU`);
    for (const tps of [fit.speed.generationTps, fit.speed.promptTps])
      if (tps !== null && !(tps > 0)) problems.push(`speed ${tps}`);
    for (const note of fit.notes)
      if (!isSafeText(note, 1000)) problems.push(`unsafe note ${JSON.stringify(note.slice(0, 80))}`);
  }
  return problems;
}

/**
 * CPU milliseconds `work` takes in this process. The sources are in memory, so a hang is work (a loop
 * over a billion layers), and CPU time counts it whatever else the machine is busy with, unlike the
 * wall clock, which a loaded CI machine stretches.
 */
export async function timedOutcome(work: () => Promise<Outcome>): Promise<{ outcome: Outcome; ms: number }> {
  const started = process.cpuUsage();
  const outcome = await work();
  const used = process.cpuUsage(started);
  return { outcome, ms: (used.user + used.system) / 1000 };
}
