import calibration from './speed-calibration.json';

/** The llama.cpp backend a device runs under: each has its own per-token cost and efficiency. */
export type SpeedBackend = 'cuda' | 'rocm' | 'vulkan' | 'metal' | 'cpu';

/** One accelerator as the speed model sees it. */
export interface SpeedDevice {
  backend: SpeedBackend;
  /** Architecture ("ada", "rdna3", "apple-m2"), or "unknown" for a GPU the table lacks. */
  family: string;
  bandwidthGBs: number;
  /** FP16 matrix throughput (F16/BF16 weights), TFLOPS. */
  fp16Tflops: number;
  /** Integer matrix throughput the quantized kernels use, TOPS. */
  int8Tops: number;
  /** Board power limit (W), where the table knows it. */
  boardPowerW?: number;
}

/** What one token costs to produce, split by where the weights sit. */
export interface SpeedWork {
  /** Bytes one generated token reads from GPU memory (dense weights + the routed share of the experts). */
  gpuBytes: number;
  /** Bytes it reads from system RAM (layers left on the CPU). */
  cpuBytes: number;
  /** Parameters one token multiplies by (active ones for a mixture of experts). */
  activeParams: number;
  /** Share of the active parameters on the GPU (0 for a CPU-only run). */
  gpuShare: number;
  layers: number;
  moe: boolean;
  /** Quantized weights run the integer kernels; F16/BF16/F32 the FP16 ones. */
  quantized: boolean;
}

export interface SpeedHost {
  ramBandwidthGBs: number;
  cpuTflops: number;
  /** Apple silicon: CPU layers share the GPU's memory, nothing crosses a bus. */
  unifiedMemory: boolean;
}

/** Fitted constants (bench/calibrate-speed.ts writes them from public llama-bench results). */
export interface SpeedConstants {
  generation: {
    /** Per-token fixed cost per backend: kernel launches and synchronisation. */
    fixedMs: Record<string, number>;
    /** Per MoE layer per token: routing (top-k, gather, scatter) beyond the bytes read. */
    moeLayerMs: Record<string, number>;
    /** Share of peak bandwidth reached, by "backend:family", then "backend", then "default". */
    efficiency: Record<string, number>;
  };
  prompt: {
    /**
     * Share of peak matrix throughput reached on a 512-token batch, keyed like generation's; F16
     * weights (cuBLAS/MPS-style GEMM rather than the quantized kernels) under "…:f16" keys.
     */
    efficiency: Record<string, number>;
    /** Mixture of experts: each expert multiplies a slice of the batch, far below a dense model's rate. */
    moeFactor?: number;
    /**
     * Integer TOPS per watt of board power a family sustains, by "backend:family" (absent: no cap).
     * Pro and datacenter cards (RTX 6000 Ada, L40, A30) list a boost-clock peak their 165-300 W
     * cannot feed through a long prompt; their clocks drop until the peak fits the power.
     */
    topsPerWatt?: Record<string, number>;
  };
  cpu: { bandwidthEfficiency: number; computeEfficiency: number };
  /** Host-to-GPU copy rate for the CPU layers' weights during prompt processing (GB/s). */
  pcieGBs: number;
}

export const speedConstants = calibration as SpeedConstants;

/** The most specific fitted value: backend and family, then backend, then the overall default. */
export function lookup(table: Record<string, number>, backend: string, family: string): number {
  return table[`${backend}:${family}`] ?? table[backend] ?? table.default ?? 1;
}

/** Prompt efficiency: F16 weights have their own keys, quantized ones the plain ones. */
export function promptEfficiency(
  table: Record<string, number>,
  device: SpeedDevice,
  quantized: boolean,
): number {
  const { backend, family } = device;
  if (!quantized) {
    const f16 = table[`${backend}:${family}:f16`] ?? table[`${backend}:f16`] ?? table['default:f16'];
    if (f16 !== undefined) return f16;
  }
  return lookup(table, backend, family);
}

/**
 * Share of its listed peak a device sustains through a long prompt: 1, or less where the board's
 * power cannot feed the peak. A card capped well below its boost clock runs near its lowest
 * voltage, where each operation costs a fixed energy: its rate is then power x TOPS per watt (the
 * family's, fitted), and its FP16 rate drops in the same ratio as the clock. Power is drawn by the
 * work done, so units kept `busy` only part of the time (a mixture of experts) hit the cap later.
 */
export function powerFactor(
  device: SpeedDevice,
  topsPerWatt: Record<string, number> | undefined,
  busy = 1,
): number {
  const perWatt = topsPerWatt?.[`${device.backend}:${device.family}`];
  if (perWatt === undefined || device.boardPowerW === undefined || device.int8Tops <= 0) return 1;
  return Math.min(1, (device.boardPowerW * perWatt) / (device.int8Tops * busy));
}

/** Micro-batch the prompt streams CPU-held weights to the GPU for. */
const promptBatch = 512;

/** Seconds per generated token: a fixed cost, then bandwidth-bound reads on each side. */
export function generationSeconds(
  work: SpeedWork,
  gpus: SpeedDevice[],
  host: SpeedHost,
  k: SpeedConstants = speedConstants,
): number {
  const g = k.generation;
  const cpuSeconds = work.cpuBytes / (host.ramBandwidthGBs * 1e9 * k.cpu.bandwidthEfficiency);
  const lead = gpus[0];
  if (!lead || work.gpuBytes <= 0) {
    const moe = work.moe ? work.layers * lookup(g.moeLayerMs, 'cpu', 'cpu') : 0;
    return (lookup(g.fixedMs, 'cpu', 'cpu') + moe) / 1000 + cpuSeconds;
  }
  // Layers split across GPUs run one after another: the bytes at their mean bandwidth, a fixed cost each.
  const bandwidth =
    gpus.reduce((s, d) => s + d.bandwidthGBs * lookup(g.efficiency, d.backend, d.family), 0) / gpus.length;
  const fixed = gpus.reduce((s, d) => s + lookup(g.fixedMs, d.backend, d.family), 0);
  const moe = work.moe ? work.layers * lookup(g.moeLayerMs, lead.backend, lead.family) : 0;
  return (fixed + moe) / 1000 + work.gpuBytes / (bandwidth * 1e9) + cpuSeconds;
}

/**
 * Seconds per prompt token. A GPU processes every layer of a large batch, the CPU-held ones too
 * (llama.cpp copies their weights over the bus once per micro-batch), except with unified memory
 * where the CPU computes its own layers.
 */
export function promptSeconds(
  work: SpeedWork,
  gpus: SpeedDevice[],
  host: SpeedHost,
  k: SpeedConstants = speedConstants,
): number {
  const flops = 2 * work.activeParams;
  const cpuCompute = (share: number): number =>
    (flops * share) / (host.cpuTflops * 1e12 * k.cpu.computeEfficiency);
  const moe = work.moe ? (k.prompt.moeFactor ?? 1) : 1;
  if (gpus.length === 0 || work.gpuShare <= 0) return cpuCompute(1) / moe;
  const throughput = gpus.reduce((s, d) => {
    const peak = (work.quantized ? d.int8Tops : d.fp16Tflops) * powerFactor(d, k.prompt.topsPerWatt, moe);
    return s + peak * promptEfficiency(k.prompt.efficiency, d, work.quantized);
  }, 0);
  if (host.unifiedMemory)
    return ((flops * work.gpuShare) / (throughput * 1e12) + cpuCompute(1 - work.gpuShare)) / moe;
  return flops / (throughput * 1e12) / moe + work.cpuBytes / (k.pcieGBs * 1e9) / promptBatch;
}

/** Tokens per second, or null where the inputs make no sense (nothing to read, unknown device). */
export function speedOf(
  work: SpeedWork,
  gpus: SpeedDevice[],
  host: SpeedHost,
  k: SpeedConstants = speedConstants,
): { generationTps: number | null; promptTps: number | null } {
  const rate = (seconds: number): number | null =>
    Number.isFinite(seconds) && seconds > 0 ? 1 / seconds : null;
  if (work.gpuBytes + work.cpuBytes <= 0) return { generationTps: null, promptTps: null };
  return {
    generationTps: rate(generationSeconds(work, gpus, host, k)),
    promptTps: rate(promptSeconds(work, gpus, host, k)),
  };
}
