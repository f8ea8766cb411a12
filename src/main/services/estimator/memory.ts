import type { KvCacheType } from '../../../shared/contract';
import { fullGraphBytes, hostBesideGpuBytes, type GraphShape } from './compute';
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

/**
 * A GPU's compute buffer (the host's is in compute.ts, measured against llama.cpp's log; this one
 * awaits a GPU to measure on), modelled on llama.cpp's worst-case graph
 * (a full micro-batch): the largest of the logits, the attention scores (without flash
 * attention) and the feed-forward activations, plus the residual stream.
 */
export function computeBytes(facts: ModelFacts, options: ContextOptions, holdsOutput: boolean): number {
  const ubatch = Math.min(options.ubatch ?? defaultUbatch, options.contextSize);
  const f32 = 4;
  const logits = holdsOutput ? facts.vocabSize * ubatch * f32 : 0;
  const kvMax = padTo(options.contextSize, 256);
  const attention = options.flashAttention
    ? facts.heads * ubatch * Math.max(facts.keyLength, facts.valueLength) * f32 * 2
    : facts.heads * ubatch * kvMax * f32;
  const activeFf = facts.experts ? facts.feedForward * facts.experts.used : facts.feedForward;
  const feedForward = ubatch * activeFf * f32 * 2;
  const residual = ubatch * facts.embedding * f32 * 4;
  return Math.max(logits, attention, feedForward) + residual;
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

/** gpuLayers as llama.cpp counts it (blocks + the output layer) to where each part goes. */
export function placement(facts: ModelFacts, gpuLayers: number): Placement {
  const clamped = Math.max(0, Math.min(gpuLayers, facts.layers + 1));
  return { gpuBlocks: Math.min(clamped, facts.layers), outputOnGpu: clamped > facts.layers };
}

export interface MemorySplit {
  gpu: { weights: number; kv: number; compute: number };
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
}

export function layerSums(facts: ModelFacts, rule: RepackRule = {}): LayerSums {
  const sums: LayerSums = { weights: [0], fullWidth: [0], swaWidth: [0], repacked: [0], rule };
  for (let i = 0; i < facts.layers; i++) {
    const width = (facts.kvHeads[i] ?? facts.heads) * (facts.keyLength + facts.valueLength);
    const swa = !!facts.swaLayers[i] && !!facts.slidingWindow;
    sums.weights.push((sums.weights[i] ?? 0) + (facts.bytes.layers[i] ?? 0));
    sums.fullWidth.push((sums.fullWidth[i] ?? 0) + (swa ? 0 : width));
    sums.swaWidth.push((sums.swaWidth[i] ?? 0) + (swa ? width : 0));
    sums.repacked.push((sums.repacked[i] ?? 0) + repackedBytes(rule, facts.bytes.matrices[i] ?? []));
  }
  return sums;
}

/** Sum over blocks [from, to) of a running total. */
const range = (sums: number[], from: number, to: number): number => (sums[to] ?? 0) - (sums[from] ?? 0);

export function memorySplit(
  facts: ModelFacts,
  gpuLayers: number,
  options: ContextOptions,
  sums: LayerSums = layerSums(facts),
): MemorySplit {
  const { gpuBlocks, outputOnGpu } = placement(facts, gpuLayers);
  const firstGpuBlock = facts.layers - gpuBlocks;
  const cells = kvCellCounts(facts, options);
  const kv = (from: number, to: number): number =>
    (cells.full * range(sums.fullWidth, from, to) + cells.swa * range(sums.swaWidth, from, to)) *
    kvElementBytes[options.kvCacheType];
  const split: MemorySplit = {
    gpu: {
      weights: range(sums.weights, firstGpuBlock, facts.layers),
      kv: kv(firstGpuBlock, facts.layers),
      compute: 0,
    },
    cpu: {
      weights: facts.bytes.input + range(sums.weights, 0, firstGpuBlock),
      kv: kv(0, firstGpuBlock),
      compute: 0,
      repacked: range(sums.repacked, 0, firstGpuBlock),
      mapped: 0,
      fileCache: 0,
    },
  };
  if (outputOnGpu) split.gpu.weights += facts.bytes.output;
  else {
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
  (gpuLayers > 0 ? split.gpu : split.cpu).weights += options.projectorBytes ?? 0;
  const graph = graphShape(options);
  const outputs = facts.vocabSize * f32Bytes * Math.max(1, options.parallel ?? 1);
  if (gpuLayers > 0) split.gpu.compute = computeBytes(facts, options, outputOnGpu);
  split.cpu.compute =
    (gpuLayers > 0 ? hostBesideGpuBytes(facts, graph) : fullGraphBytes(facts, graph)) + outputs;
  return split;
}
