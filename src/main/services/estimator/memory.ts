import type { KvCacheType } from '../../../shared/contract';
import { fullGraphBytes, hostBesideGpuBytes, type GraphShape } from './compute';
import { splitLayers, type DeviceLayers } from './device-split';
import { deviceComputeBytes, opOffloadMinBatch, type HostWork } from './gpu-compute';
import type { ModelFacts } from './model-facts';
import { repackedBytes, repacks, type RepackRule } from './repack';

/** Bytes per KV element: f16, and the q8_0 / q4_0 block formats (34 and 18 bytes per 32). */
const kvElementBytes: Record<KvCacheType, number> = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 };

/** llama.cpp's micro-batch: the graph is sized for this many tokens at once. */
export const defaultUbatch = 512;

const padTo = (n: number, multiple: number): number => Math.ceil(n / multiple) * multiple;
const f32Bytes = 4;

export interface ContextOptions {
  contextSize: number;
  kvCacheType: KvCacheType;
  flashAttention: boolean;
  ubatch?: number;
  /** Sequences decoded side by side (the API's slots): each gets `contextSize` cells of its own. */
  parallel?: number;
  /** One KV cache shared by all sequences (llama.cpp's kv_unified); node-llama-cpp keeps one per sequence. */
  unifiedKv?: boolean;
  /** A vision projector (mmproj) loaded beside the model: it goes to the GPU when the model uses one. */
  projectorBytes?: number;
}

/** Micro-batch: node-llama-cpp sets n_ubatch = n_batch, at most the context. */
const ubatchOf = (o: ContextOptions): number =>
  Math.min(o.ubatch ?? defaultUbatch, padTo(o.contextSize, 256));

/**
 * KV cells of all sequences together, for full-context and sliding-window layers. Each sequence
 * has its padded context (llama.cpp pads n_ctx_seq to 256); a sliding-window layer keeps the window
 * plus a micro-batch, per sequence, or once for a unified cache with the window per sequence
 * (llama-kv-cache-iswa.cpp: pad(min(base, n_swa * (unified ? n_seq : 1) + n_ubatch), 256)).
 */
export function kvCellCounts(facts: ModelFacts, options: ContextOptions): { full: number; swa: number } {
  const n = Math.max(1, options.parallel ?? 1);
  const perSeq = padTo(options.contextSize, 256);
  const ubatch = ubatchOf(options);
  if (options.unifiedKv) {
    const full = perSeq * n;
    const window = facts.slidingWindow ? padTo(Math.min(full, facts.slidingWindow * n + ubatch), 256) : full;
    return { full, swa: window };
  }
  const window = facts.slidingWindow ? padTo(Math.min(perSeq, facts.slidingWindow + ubatch), 256) : perSeq;
  return { full: perSeq * n, swa: window * n };
}

/** KV cells a layer keeps: the (padded) context, or just the window plus a batch for sliding-window layers. */
export function kvCells(facts: ModelFacts, layer: number, options: ContextOptions): number {
  const cells = kvCellCounts(facts, options);
  return facts.swaLayers[layer] && facts.slidingWindow ? cells.swa : cells.full;
}

/** KV cache bytes of one layer: cells x (key + value widths) x element size. */
export function kvLayerBytes(facts: ModelFacts, layer: number, options: ContextOptions): number {
  const heads = facts.kvHeads[layer] ?? facts.heads;
  const width = heads * (facts.keyLength + facts.valueLength);
  return kvCells(facts, layer, options) * width * kvElementBytes[options.kvCacheType];
}

/** The graph llama.cpp reserves: one micro-batch against one stream's cells (all of them when unified). */
function graphShape(options: ContextOptions): GraphShape {
  const perSeq = padTo(options.contextSize, 256);
  const cells = options.unifiedKv ? perSeq * Math.max(1, options.parallel ?? 1) : perSeq;
  return { ubatch: ubatchOf(options), kvCells: cells, flashAttention: options.flashAttention };
}

/** What loading costs beyond the tensors: the vocabulary's tables and the loader's own structures. */
export function loaderOverheadBytes(facts: ModelFacts): number {
  return 20e6 + facts.vocabSize * 500;
}

export interface Placement {
  /** Offloaded blocks: llama.cpp offloads the last N blocks. */
  gpuBlocks: number;
  outputOnGpu: boolean;
}

/**
 * gpuLayers as llama.cpp counts it (blocks + the output layer) to where each part goes. Layers
 * from n_layer + 1 - gpuLayers up go to the GPU, the output layer being layer n_layer: so the
 * output goes first (1 layer = the head alone), then the blocks from the last one down
 * (load_tensors, "offloading output layer to GPU", in the bundled llama.cpp).
 */
export function placement(facts: ModelFacts, gpuLayers: number): Placement {
  const clamped = Math.max(0, Math.min(gpuLayers, facts.layers + 1));
  return { gpuBlocks: Math.max(0, clamped - 1), outputOnGpu: clamped > 0 };
}

/** One GPU's share: its blocks [from, to), whether it holds the output layer, and its bytes. */
export interface DeviceMemory {
  from: number;
  to: number;
  output: boolean;
  weights: number;
  kv: number;
  compute: number;
}

export interface MemorySplit {
  /** All GPUs together. */
  gpu: { weights: number; kv: number; compute: number };
  /** Per GPU, in device order (llama.cpp's default layer split by free memory). */
  devices: DeviceMemory[];
  /**
   * `weights` counts what the CPU side needs: `repacked` of it is the CPU backend's own copy
   * (anonymous memory), the rest beside the loader's overhead is read in place from the mapped file.
   * `mapped`: weights read in place from the mapped file (page cache, but used on every token).
   * `fileCache`: file pages read while loading and not needed after (repacked or offloaded tensors).
   */
  cpu: { weights: number; kv: number; compute: number; repacked: number; mapped: number; fileCache: number };
}

/**
 * Running totals over the blocks, so a split costs O(1) however many layers a model has: the
 * estimator tries many placements and contexts, and a 4096-layer header must not make that slow.
 * KV widths are summed apart for full-context and sliding-window layers (their cell counts differ).
 */
export interface LayerSums {
  weights: number[];
  fullWidth: number[];
  swaWidth: number[];
  /** Bytes the CPU would repack, per block, under `rule`. */
  repacked: number[];
  rule: RepackRule;
  /** The widest full-context and sliding-window layer (K + V elements per cell). */
  maxFullWidth: number;
  maxSwaWidth: number;
}

export function layerSums(facts: ModelFacts, rule: RepackRule = {}): LayerSums {
  const sums: LayerSums = {
    weights: [0],
    fullWidth: [0],
    swaWidth: [0],
    repacked: [0],
    rule,
    maxFullWidth: 0,
    maxSwaWidth: 0,
  };
  for (let i = 0; i < facts.layers; i++) {
    const width = (facts.kvHeads[i] ?? facts.heads) * (facts.keyLength + facts.valueLength);
    const swa = !!facts.swaLayers[i] && !!facts.slidingWindow;
    sums.weights.push((sums.weights[i] ?? 0) + (facts.bytes.layers[i] ?? 0));
    sums.fullWidth.push((sums.fullWidth[i] ?? 0) + (swa ? 0 : width));
    sums.swaWidth.push((sums.swaWidth[i] ?? 0) + (swa ? width : 0));
    sums.repacked.push((sums.repacked[i] ?? 0) + repackedBytes(rule, facts.bytes.matrices[i] ?? []));
    if (swa) sums.maxSwaWidth = Math.max(sums.maxSwaWidth, width);
    else sums.maxFullWidth = Math.max(sums.maxFullWidth, width);
  }
  return sums;
}

/** Sum over blocks [from, to) of a running total. */
const range = (sums: number[], from: number, to: number): number => (sums[to] ?? 0) - (sums[from] ?? 0);

/**
 * Where the memory goes for `gpuLayers` offloaded layers. `deviceFree` is each GPU's free memory
 * (llama.cpp splits the offloaded layers in proportion to it), empty for a machine without one;
 * when not given, one GPU if any layer is offloaded.
 */
export function memorySplit(
  facts: ModelFacts,
  gpuLayers: number,
  options: ContextOptions,
  sums: LayerSums = layerSums(facts),
  deviceFree: readonly number[] = gpuLayers > 0 ? [1] : [],
): MemorySplit {
  // Devices exist even at 0 layers: the first one runs the big batches of layers left in RAM.
  return memorySplitAt(facts, splitLayers(facts.layers, gpuLayers, deviceFree), options, sums);
}

/**
 * Where the memory goes with each GPU holding `ranges` (the last blocks, contiguous, as llama.cpp
 * places them): for a placement worked out elsewhere, e.g. a published load log of another version.
 */
export function memorySplitAt(
  facts: ModelFacts,
  ranges: readonly DeviceLayers[],
  options: ContextOptions,
  sums: LayerSums = layerSums(facts),
): MemorySplit {
  const gpuBlocks = ranges.reduce((n, r) => n + (r.to - r.from), 0);
  const outputOnGpu = ranges.some((r) => r.output);
  const firstGpuBlock = facts.layers - gpuBlocks;
  const cells = kvCellCounts(facts, options);
  const kv = (from: number, to: number): number =>
    (cells.full * range(sums.fullWidth, from, to) + cells.swa * range(sums.swaWidth, from, to)) *
    kvElementBytes[options.kvCacheType];
  const graph = graphShape(options);
  const host: HostWork = {
    cpuBlocks: firstGpuBlock,
    outputOnCpu: !outputOnGpu,
    // The largest K + V of one layer left in RAM (any layer's, so a split stays O(1)).
    cpuLayerKvBytes:
      firstGpuBlock > 0
        ? Math.max(cells.full * sums.maxFullWidth, cells.swa * sums.maxSwaWidth) *
          kvElementBytes[options.kvCacheType]
        : 0,
    // llama.cpp pipelines micro-batches over several GPUs only when they hold every layer.
    pipelined: ranges.length > 1 && gpuBlocks === facts.layers && outputOnGpu,
  };
  const devices: DeviceMemory[] = ranges.map((r, i) => ({
    ...r,
    weights: range(sums.weights, r.from, r.to) + (r.output ? facts.bytes.output : 0),
    kv: kv(r.from, r.to),
    compute: deviceComputeBytes(
      facts,
      graph,
      { blocks: r.to - r.from, holdsOutput: r.output, first: i === 0 },
      host,
    ),
  }));
  // A vision projector runs on the first GPU (the best backend the clip context finds).
  const firstDevice = devices[0];
  if (firstDevice) firstDevice.weights += options.projectorBytes ?? 0;
  const total = (key: 'weights' | 'kv' | 'compute'): number => devices.reduce((s, d) => s + d[key], 0);
  const split: MemorySplit = {
    gpu: { weights: total('weights'), kv: total('kv'), compute: total('compute') },
    devices,
    cpu: {
      weights: facts.bytes.input + range(sums.weights, 0, firstGpuBlock),
      kv: kv(0, firstGpuBlock),
      compute: 0,
      repacked: range(sums.repacked, 0, firstGpuBlock),
      mapped: 0,
      fileCache: 0,
    },
  };
  if (!outputOnGpu) {
    // On the CPU a tied head shares the embeddings, unless the CPU repacks it into its own copy.
    const headRepacked = repacks(sums.rule, facts.bytes.outputMatrix);
    split.cpu.weights += facts.bytes.output - (headRepacked ? 0 : facts.bytes.tiedCopy);
    if (headRepacked) split.cpu.repacked += facts.bytes.outputMatrix?.bytes ?? 0;
  }
  // Every file page is read once while loading; those the CPU does not read in place again stay
  // in the page cache only until the OS needs the memory.
  split.cpu.mapped = Math.max(0, split.cpu.weights - split.cpu.repacked);
  split.cpu.fileCache = Math.max(0, facts.bytes.total - split.cpu.mapped);
  split.cpu.weights += loaderOverheadBytes(facts);
  if (!firstDevice) split.cpu.weights += options.projectorBytes ?? 0;
  const outputs = facts.vocabSize * f32Bytes * Math.max(1, options.parallel ?? 1);
  // With a GPU the host keeps the graph's inputs only: its own layers' batch work goes to the GPU too.
  const gpuRunsBatches =
    devices.length > 0 && (gpuBlocks > 0 || outputOnGpu || graph.ubatch >= opOffloadMinBatch);
  split.cpu.compute =
    (gpuRunsBatches ? hostBesideGpuBytes(facts, graph) : fullGraphBytes(facts, graph)) + outputs;
  return split;
}
