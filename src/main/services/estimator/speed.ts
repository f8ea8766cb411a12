import { findGpuSpec, type GpuSpec } from '../hardware/gpu-specs';
import type { GpuBudget, MachineBudget } from './machine-budget';
import { placement } from './memory';
import type { ModelFacts } from './model-facts';
import { speedOf, type SpeedBackend, type SpeedDevice, type SpeedWork } from './speed-model';

/** Bytes a token reads from a block: all dense weights, and only the routed share of the experts. */
function activeBytes(facts: ModelFacts, layer: number): number {
  const all = facts.bytes.layers[layer] ?? 0;
  const experts = facts.bytes.expertLayers[layer] ?? 0;
  if (!facts.experts) return all;
  return all - experts + (experts * facts.experts.used) / facts.experts.count;
}

/** The backend Hearth's engine (node-llama-cpp's prebuilt binaries) runs a GPU of this vendor on. */
export function hearthBackend(vendor: GpuSpec['vendor'] | undefined): SpeedBackend {
  if (vendor === 'apple') return 'metal';
  if (vendor === 'amd' || vendor === 'intel') return 'vulkan';
  return 'cuda';
}

/** A GPU of the budget as the speed model sees it, or null when its bandwidth is unknown. */
export function speedDevice(gpu: Pick<GpuBudget, 'name' | 'bandwidthGBs' | 'tflops'>): SpeedDevice | null {
  const spec = findGpuSpec(gpu.name);
  const bandwidthGBs = gpu.bandwidthGBs ?? spec?.bandwidthGBs ?? null;
  const fp16Tflops = gpu.tflops ?? spec?.tflops ?? null;
  if (bandwidthGBs === null || fp16Tflops === null) return null;
  const tableRates = spec !== undefined && (gpu.tflops === null || gpu.tflops === spec.tflops);
  return {
    backend: hearthBackend(spec?.vendor),
    family: spec?.family ?? 'unknown',
    bandwidthGBs,
    fp16Tflops,
    // Without the table's integer rate, assume the FP16 one (a floor for every recent GPU).
    int8Tops: tableRates ? spec.int8Tops : fp16Tflops,
    // The table's power limit belongs to the table's peak rates; a user's own rate stands as given.
    ...(tableRates && spec.boardPowerW !== undefined && { boardPowerW: spec.boardPowerW }),
  };
}

const unquantized = new Set(['F32', 'F16', 'BF16']);

/** What one token reads and computes with `gpuLayers` of the model's layers on the GPU. */
export function speedWork(facts: ModelFacts, gpuLayers: number): SpeedWork {
  const { gpuBlocks, outputOnGpu } = placement(facts, gpuLayers);
  let gpuBytes = outputOnGpu ? facts.bytes.output : 0;
  let cpuBytes = outputOnGpu ? 0 : facts.bytes.output;
  for (let i = 0; i < facts.layers; i++) {
    if (i >= facts.layers - gpuBlocks) gpuBytes += activeBytes(facts, i);
    else cpuBytes += activeBytes(facts, i);
  }
  const total = gpuBytes + cpuBytes;
  // Parameters scale like the bytes read (the file's mix of types is the same throughout).
  const activeParams = facts.parameters * (total / Math.max(1, facts.bytes.total));
  return {
    gpuBytes,
    cpuBytes,
    activeParams,
    gpuShare: total > 0 ? gpuBytes / total : 0,
    layers: facts.layers,
    moe: facts.experts !== null,
    quantized: !unquantized.has(facts.quant.toUpperCase()),
  };
}

export function predictSpeed(
  facts: ModelFacts,
  budget: MachineBudget,
  gpuLayers: number,
): { generationTps: number | null; promptTps: number | null } {
  const work = speedWork(facts, gpuLayers);
  const devices = budget.gpus.map(speedDevice);
  const known = devices.filter((d): d is SpeedDevice => d !== null);
  // A GPU we cannot rate (no bandwidth in the table) makes any speed a guess: say nothing.
  if (work.gpuBytes > 0 && (known.length === 0 || known.length < devices.length))
    return { generationTps: null, promptTps: null };
  return speedOf(work, work.gpuBytes > 0 ? known : [], {
    ramBandwidthGBs: budget.ramBandwidthGBs,
    cpuTflops: budget.cpuTflops,
    unifiedMemory: budget.unifiedMemory,
  });
}
