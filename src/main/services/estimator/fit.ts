import { AppError, type FitEstimate, type KvCacheType } from '../../../shared/contract';
import { quantInfo, ruleOfThumbBytes } from '../../../shared/domain/quants';
import type { MachineBudget } from './machine-budget';
import { deviceRoom, deviceRows, overflowNotes } from './device-rows';
import { layerSums, memorySplit, type ContextOptions, type LayerSums } from './memory';
import type { ModelFacts } from './model-facts';
import { predictSpeed } from './speed';
import { scaleSplit, type MemoryScale } from './memory-scale';

export interface FitOptions {
  contextSize?: number;
  kvCacheType?: KvCacheType;
  /** llama.cpp enables flash attention by default where the backend supports it. */
  flashAttention?: boolean;
  /** A vision projector loaded beside the model: its weights and its encoder's compute buffer. */
  projector?: { name: string; bytes: number; computeBytes?: number };
  /** Micro-batch (node-llama-cpp's batchSize); 512 by default. */
  ubatch?: number;
  /** Sequences decoded side by side (the API's slots), each with `contextSize` cells. */
  parallel?: number;
  /** Layers to offload (blocks + output), as the user set them; the most that fit when absent. */
  gpuLayers?: number;
  /** This machine's measured corrections per buffer class (planning for this machine only). */
  memoryScale?: MemoryScale;
}

/** What a placement is computed with: the context, and this machine's memory corrections. */
type PlanOptions = ContextOptions & { memoryScale?: MemoryScale };

const GB = 1e9;

/** Every number of an estimate, nested ones included. */
function numbersOf(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(numbersOf);
}

/** A last guard: whatever a header said, an estimate never shows NaN, Infinity or a negative size. */
function sane(estimate: FitEstimate): FitEstimate {
  if (numbersOf(estimate).some((n) => !Number.isFinite(n) || n < 0))
    throw new AppError(
      'INVALID_MODEL',
      'The estimate for this model came out as nonsense: its header is inconsistent',
    );
  return estimate;
}
/** RAM the process holds itself vs the model file's pages, which the OS keeps in its cache. */
function hostSplit(split: ReturnType<typeof memorySplit>) {
  const { weights, kv, compute, repacked, mapped, fileCache } = split.cpu;
  return {
    repackedWeightsBytes: repacked,
    residentBytes: weights + kv + compute - mapped,
    mappedWeightsBytes: mapped,
    reclaimableCacheBytes: fileCache,
  };
}
const fmt = (bytes: number): string => `${(bytes / GB).toFixed(1)} GB`;

interface Attempt {
  gpuLayers: number;
  gpuNeed: number;
  cpuNeed: number;
  /** Every GPU within its own budget. */
  gpuOk: boolean;
  cpuOk: boolean;
  /** Per GPU: what it needs and whether that fits its free memory less headroom. */
  deviceNeeds: { need: number; ok: boolean }[];
  split: ReturnType<typeof memorySplit>;
}

function attempt(
  facts: ModelFacts,
  budget: MachineBudget,
  gpuLayers: number,
  options: PlanOptions,
  sums: LayerSums,
): Attempt {
  // Several GPUs: llama.cpp splits the layers by free memory, each with its own KV and compute buffer.
  const free = budget.gpus.map((g) => g.freeBytes);
  const split = scaleSplit(
    memorySplit(facts, gpuLayers, options, sums, budget.canOffload ? free : []),
    options.memoryScale,
  );
  const deviceNeeds = split.devices.map((d, i) => {
    const gpu = budget.gpus[i];
    const need = d.weights + d.kv + d.compute;
    return { need, ok: gpu !== undefined && need <= deviceRoom(d, gpu) };
  });
  const gpuNeed = deviceNeeds.reduce((sum, d) => sum + d.need, 0);
  const cpuNeed = split.cpu.weights + split.cpu.kv + split.cpu.compute;
  const ramBudget = budget.ramAvailableBytes - budget.ramHeadroomBytes;
  const gpuOk = deviceNeeds.every((d) => d.ok);
  const cpuOk = budget.unifiedMemory ? gpuNeed + cpuNeed <= ramBudget : cpuNeed <= ramBudget;
  return { gpuLayers, gpuNeed, cpuNeed, gpuOk, cpuOk, deviceNeeds, split };
}

/**
 * The most layers the GPU takes at this context, and whether the rest fits in RAM. Up to the blocks,
 * what the GPUs need only grows with their layers, so a binary search finds the most in
 * O(log layers). The output layer is tried first on its own: with it the first GPU no longer runs
 * the head's batch from a copy, so the full placement can need less than the one below it.
 */
function bestPlacement(
  facts: ModelFacts,
  budget: MachineBudget,
  options: PlanOptions,
  sums: LayerSums,
): Attempt {
  const canUseGpu = budget.canOffload && budget.gpus.length > 0;
  if (canUseGpu) {
    const full = attempt(facts, budget, facts.layers + 1, options, sums);
    if (full.gpuOk) return full;
  }
  let lo = 0;
  let hi = canUseGpu ? facts.layers : 0;
  let best: Attempt | undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const a = attempt(facts, budget, mid, options, sums);
    if (a.gpuOk) {
      lo = mid;
      best = a;
    } else hi = mid - 1;
  }
  return best ?? attempt(facts, budget, 0, options, sums);
}

/** Largest context (a multiple of 256, up to the trained length) for which `ok` holds. */
function largestContext(facts: ModelFacts, ok: (contextSize: number) => boolean): number | null {
  const top = Math.floor(Math.min(facts.trainContextSize, 2_097_152) / 256);
  if (top < 1 || !ok(256)) return null;
  let lo = 1;
  let hi = top;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid * 256)) lo = mid;
    else hi = mid - 1;
  }
  return lo * 256;
}

export function estimateFit(facts: ModelFacts, budget: MachineBudget, options: FitOptions = {}): FitEstimate {
  const contextSize = Math.min(
    options.contextSize ?? Math.min(4096, facts.trainContextSize),
    facts.trainContextSize,
  );
  const kvCacheType = options.kvCacheType ?? 'f16';
  // Quantized KV caches need flash attention in llama.cpp.
  const flashAttention = options.flashAttention ?? true;
  const context: PlanOptions = {
    memoryScale: options.memoryScale,
    contextSize,
    kvCacheType,
    flashAttention: flashAttention || kvCacheType !== 'f16',
    projectorBytes: options.projector && options.projector.bytes + (options.projector.computeBytes ?? 0),
    ubatch: options.ubatch,
    parallel: options.parallel,
  };
  const totalLayers = facts.layers + 1;
  const sums = layerSums(facts, budget.cpuRepack);
  // Layers the user fixed: none without a GPU to put them on.
  const canUseGpu = budget.canOffload && budget.gpus.length > 0;
  const fixed =
    options.gpuLayers === undefined
      ? undefined
      : canUseGpu
        ? Math.max(0, Math.min(options.gpuLayers, totalLayers))
        : 0;
  const chosen =
    fixed === undefined
      ? bestPlacement(facts, budget, context, sums)
      : attempt(facts, budget, fixed, context, sums);
  const verdict =
    !chosen.cpuOk || !chosen.gpuOk
      ? 'does-not-fit'
      : chosen.gpuLayers === totalLayers
        ? 'full-gpu'
        : chosen.gpuLayers > 0
          ? 'partial'
          : 'cpu-only';

  const withContext = (size: number): PlanOptions => ({ ...context, contextSize: size });
  const maxContextSize =
    verdict === 'does-not-fit'
      ? null
      : verdict === 'full-gpu' || fixed !== undefined
        ? largestContext(facts, (size) => {
            const a = attempt(facts, budget, fixed ?? totalLayers, withContext(size), sums);
            return a.gpuOk && a.cpuOk;
          })
        : largestContext(facts, (size) => bestPlacement(facts, budget, withContext(size), sums).cpuOk);

  const gpuHeadroom = budget.gpus.reduce((s, g) => s + g.headroomBytes, 0);
  const gpuAvailable = budget.gpus.reduce((s, g) => s + g.freeBytes, 0);
  const info = quantInfo(facts.quant);
  const bitsPerWeight = (facts.bytes.total * 8) / Math.max(1, facts.parameters);
  const notes: string[] = [];
  if (verdict === 'full-gpu')
    notes.push(`Runs entirely on the GPU: needs ${fmt(chosen.gpuNeed)} of ${fmt(gpuAvailable)} free VRAM.`);
  if (verdict === 'partial') {
    notes.push(
      `${chosen.gpuLayers} of ${totalLayers} layers fit on the GPU; the rest run on the CPU from RAM, which is slower.`,
    );
  }
  if (verdict === 'cpu-only') {
    notes.push(
      budget.gpus.length === 0 || !budget.canOffload
        ? 'No usable GPU: runs on the CPU from RAM.'
        : fixed === 0
          ? 'GPU layers set to 0: the layers run on the CPU from RAM; large prompt batches still use the GPU.'
          : 'Not even one layer fits in the free VRAM: runs on the CPU.',
    );
  }
  const devices = deviceRows(chosen.split.devices, budget);
  notes.push(...overflowNotes(devices));
  if (verdict === 'does-not-fit' && !chosen.cpuOk) {
    notes.push(
      `Needs ${fmt(chosen.cpuNeed)} of RAM beside the GPU's share, but only ${fmt(budget.ramAvailableBytes - budget.ramHeadroomBytes)} is available.`,
    );
  }
  if (options.projector)
    notes.push(`Includes the vision projector ${options.projector.name} (${fmt(options.projector.bytes)}).`);
  if (facts.experts) {
    notes.push(
      `Mixture of experts: ${facts.experts.used} of ${facts.experts.count} experts run per token, so it is faster than its size suggests.`,
    );
  }
  if (maxContextSize !== null && maxContextSize < contextSize)
    notes.push(`Only ${maxContextSize} tokens of context fit with this placement.`);

  return sane({
    verdict,
    gpuLayers: verdict === 'does-not-fit' && fixed === undefined ? 0 : chosen.gpuLayers,
    totalLayers,
    contextSize,
    maxContextSize,
    trainContextSize: facts.trainContextSize,
    kvCacheType,
    gpu: {
      weightsBytes: chosen.split.gpu.weights,
      kvCacheBytes: chosen.split.gpu.kv,
      computeBytes: chosen.gpuNeed - chosen.split.gpu.weights - chosen.split.gpu.kv,
      headroomBytes: gpuHeadroom,
      totalBytes: chosen.gpuNeed,
      availableBytes: gpuAvailable,
    },
    devices,
    ram: {
      ...hostSplit(chosen.split),
      weightsBytes: chosen.split.cpu.weights,
      kvCacheBytes: chosen.split.cpu.kv,
      computeBytes: chosen.split.cpu.compute,
      headroomBytes: budget.ramHeadroomBytes,
      totalBytes: chosen.cpuNeed,
      availableBytes: budget.ramAvailableBytes,
    },
    speed:
      verdict === 'does-not-fit'
        ? { generationTps: null, promptTps: null }
        : predictSpeed(facts, budget, chosen.gpuLayers),
    ruleOfThumbBytes: ruleOfThumbBytes(facts.parameters, info?.nominalBits ?? Math.round(bitsPerWeight)),
    notes,
    model: {
      name: facts.name,
      architecture: facts.architecture,
      parameters: facts.parameters,
      quant: facts.quant,
      bitsPerWeight,
      fileBytes: facts.bytes.total,
      layers: facts.layers,
      experts: facts.experts,
    },
  });
}
