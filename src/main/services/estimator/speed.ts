import type { MachineBudget } from './machine-budget';
import { placement } from './memory';
import type { ModelFacts } from './model-facts';

/** Fraction of peak memory bandwidth llama.cpp reaches while generating (decode is bandwidth-bound). */
const gpuBandwidthEfficiency = 0.75;
const cpuBandwidthEfficiency = 0.6;
/** Fraction of peak FLOPS reached while processing a prompt (compute-bound). */
const gpuComputeEfficiency = 0.35;
const cpuComputeEfficiency = 0.5;

/** Bytes a token reads from a block: all dense weights, and only the routed share of the experts. */
function activeBytes(facts: ModelFacts, layer: number): number {
  const all = facts.bytes.layers[layer] ?? 0;
  const experts = facts.bytes.expertLayers[layer] ?? 0;
  if (!facts.experts) return all;
  return all - experts + (experts * facts.experts.used) / facts.experts.count;
}

export function predictSpeed(
  facts: ModelFacts,
  budget: MachineBudget,
  gpuLayers: number,
): { generationTps: number | null; promptTps: number | null } {
  const { gpuBlocks, outputOnGpu } = placement(facts, gpuLayers);
  let gpuBytes = outputOnGpu ? facts.bytes.output : 0;
  let cpuBytes = outputOnGpu ? 0 : facts.bytes.output;
  for (let i = 0; i < facts.layers; i++) {
    if (i >= facts.layers - gpuBlocks) gpuBytes += activeBytes(facts, i);
    else cpuBytes += activeBytes(facts, i);
  }
  const known = budget.gpus.filter((g) => g.bandwidthGBs !== null);
  const gpuBandwidth = known.length
    ? known.reduce((s, g) => s + (g.bandwidthGBs ?? 0), 0) / known.length
    : null;
  const gpuTflops = budget.gpus.reduce((s, g) => s + (g.tflops ?? 0), 0) || null;
  if (gpuBytes > 0 && (gpuBandwidth === null || gpuTflops === null))
    return { generationTps: null, promptTps: null };

  const secondsPerToken =
    (gpuBytes > 0 ? gpuBytes / ((gpuBandwidth ?? 1) * 1e9 * gpuBandwidthEfficiency) : 0) +
    cpuBytes / (budget.ramBandwidthGBs * 1e9 * cpuBandwidthEfficiency);
  // Two FLOPs per active weight per token, split like the bytes.
  const totalActive = gpuBytes + cpuBytes;
  const activeParams = facts.parameters * (totalActive / Math.max(1, facts.bytes.total));
  const gpuShare = totalActive > 0 ? gpuBytes / totalActive : 0;
  const flops = 2 * activeParams;
  const promptSeconds =
    (gpuShare > 0 ? (flops * gpuShare) / ((gpuTflops ?? 1) * 1e12 * gpuComputeEfficiency) : 0) +
    (flops * (1 - gpuShare)) / (budget.cpuTflops * 1e12 * cpuComputeEfficiency);
  // A model with nothing to read per token (no block weights) has no speed to predict.
  const rate = (seconds: number): number | null =>
    Number.isFinite(seconds) && seconds > 0 ? 1 / seconds : null;
  return { generationTps: rate(secondsPerToken), promptTps: rate(promptSeconds) };
}
