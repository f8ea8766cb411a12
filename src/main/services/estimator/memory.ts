import type { KvCacheType } from '../../../shared/contract';
import type { ModelFacts } from './model-facts';

/** Bytes per KV element: f16, and the q8_0 / q4_0 block formats (34 and 18 bytes per 32). */
const kvElementBytes: Record<KvCacheType, number> = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 };

/** llama.cpp's micro-batch: the graph is sized for this many tokens at once. */
export const defaultUbatch = 512;

const padTo = (n: number, multiple: number): number => Math.ceil(n / multiple) * multiple;

export interface ContextOptions {
  contextSize: number;
  kvCacheType: KvCacheType;
  flashAttention: boolean;
  ubatch?: number;
  /** A vision projector (mmproj) loaded beside the model: it goes to the GPU when the model uses one. */
  projectorBytes?: number;
}

/** KV cells a layer keeps: the (padded) context, or just the window plus a batch for sliding-window layers. */
export function kvCells(facts: ModelFacts, layer: number, options: ContextOptions): number {
  const full = padTo(options.contextSize, 256);
  if (!facts.swaLayers[layer] || !facts.slidingWindow) return full;
  return Math.min(full, padTo(facts.slidingWindow + (options.ubatch ?? defaultUbatch) + 1, 256));
}

/** KV cache bytes of one layer: cells x (key + value widths) x element size. */
export function kvLayerBytes(facts: ModelFacts, layer: number, options: ContextOptions): number {
  const heads = facts.kvHeads[layer] ?? facts.heads;
  const width = heads * (facts.keyLength + facts.valueLength);
  return kvCells(facts, layer, options) * width * kvElementBytes[options.kvCacheType];
}

/**
 * Compute-graph scratch memory for one backend, modelled on llama.cpp's worst-case graph
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

/**
 * Scratch the CPU actually touches running a micro-batch for a chat (logits for one output):
 * feed-forward and attention activations, the residual stream and the attention mask.
 * llama.cpp reserves the worst case (logits for every token) but never writes most of it, and
 * untouched pages cost no RAM; a GPU allocation is real, so GPUs use computeBytes().
 */
export function cpuComputeBytes(facts: ModelFacts, options: ContextOptions): number {
  const ubatch = Math.min(options.ubatch ?? defaultUbatch, options.contextSize);
  const f32 = 4;
  const activeFf = facts.experts ? facts.feedForward * facts.experts.used : facts.feedForward;
  const feedForward = ubatch * activeFf * f32 * 2;
  const attention = options.flashAttention
    ? facts.heads * ubatch * Math.max(facts.keyLength, facts.valueLength) * f32 * 2
    : facts.heads * ubatch * padTo(options.contextSize, 256) * f32;
  const mask = padTo(options.contextSize, 256) * ubatch * 2;
  const residual = ubatch * facts.embedding * f32 * 4;
  return feedForward + attention + mask + residual + facts.vocabSize * f32;
}

/** What loading costs beyond the tensors: the vocabulary's tables and the loader's own structures. */
export function loaderOverheadBytes(facts: ModelFacts): number {
  return 20e6 + facts.vocabSize * 500;
}

/** Types the CPU backend repacks into its own interleaved copy (x86 AVX2 and ARM kernels). */
const cpuRepackedTypes = new Set(['Q4_0', 'Q4_K', 'IQ4_NL', 'Q2_K']);

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
  cpu: { weights: number; kv: number; compute: number };
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
}

export function layerSums(facts: ModelFacts): LayerSums {
  const sums: LayerSums = { weights: [0], fullWidth: [0], swaWidth: [0] };
  for (let i = 0; i < facts.layers; i++) {
    const width = (facts.kvHeads[i] ?? facts.heads) * (facts.keyLength + facts.valueLength);
    const swa = !!facts.swaLayers[i] && !!facts.slidingWindow;
    sums.weights.push((sums.weights[i] ?? 0) + (facts.bytes.layers[i] ?? 0));
    sums.fullWidth.push((sums.fullWidth[i] ?? 0) + (swa ? 0 : width));
    sums.swaWidth.push((sums.swaWidth[i] ?? 0) + (swa ? width : 0));
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
  const full = padTo(options.contextSize, 256);
  const swa = facts.slidingWindow
    ? Math.min(full, padTo(facts.slidingWindow + (options.ubatch ?? defaultUbatch) + 1, 256))
    : full;
  const kv = (from: number, to: number): number =>
    (full * range(sums.fullWidth, from, to) + swa * range(sums.swaWidth, from, to)) *
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
    },
  };
  if (outputOnGpu) split.gpu.weights += facts.bytes.output;
  else {
    // On the CPU a tied head shares the embeddings, unless the CPU repacks it into its own copy.
    const sharesEmbeddings = !cpuRepackedTypes.has(facts.bytes.embeddingType);
    split.cpu.weights += facts.bytes.output - (sharesEmbeddings ? facts.bytes.tiedCopy : 0);
  }
  split.cpu.weights += loaderOverheadBytes(facts);
  (gpuLayers > 0 ? split.gpu : split.cpu).weights += options.projectorBytes ?? 0;
  if (gpuLayers > 0) split.gpu.compute = computeBytes(facts, options, outputOnGpu);
  // The CPU always runs the input layer; it needs the full graph when it also runs blocks or the head.
  split.cpu.compute =
    gpuBlocks === facts.layers && outputOnGpu
      ? defaultUbatch * facts.embedding * 4 * 3 + facts.vocabSize * 4
      : cpuComputeBytes(facts, options);
  return split;
}
