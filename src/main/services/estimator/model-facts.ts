import { safeText } from '../../../shared/domain/safe-text';
import { GgufFormatError, type GgufHeader, type GgufTensorInfo, type GgufValue } from '../gguf/gguf-reader';
import { hyperparameterBounds, perLayer, wholeNumber } from './header-values';

/** Matrix weights of one ggml type: what the CPU backend may repack, by type and row alignment. */
export interface MatrixBytes {
  type: string;
  /** The largest of 8, 4 or 1 dividing the rows (ne[1]): each repacked layout interleaves 4 or 8 rows. */
  rowMultiple: number;
  bytes: number;
}

/** What the estimator needs to know about a model, read from its GGUF header. */
export interface ModelFacts {
  name: string;
  architecture: string;
  layers: number;
  embedding: number;
  heads: number;
  /** Per layer: grouped-query attention heads differ per layer in some models. */
  kvHeads: number[];
  keyLength: number;
  valueLength: number;
  trainContextSize: number;
  slidingWindow: number | null;
  /** Per layer: true where the layer keeps only the sliding window in its KV cache. */
  swaLayers: boolean[];
  experts: { count: number; used: number } | null;
  vocabSize: number;
  feedForward: number;
  parameters: number;
  quant: string;
  bytes: {
    /** Per block, all its tensors. */
    layers: number[];
    /** Per block, the expert tensors only (a token reads `used / count` of them). */
    expertLayers: number[];
    /** Token embeddings: llama.cpp always keeps them on the CPU. */
    input: number;
    /** Output head (+ final norm): on the GPU only when every block is; a tied head is a copy of the embeddings. */
    output: number;
    /** Of `output`, the copy of the embeddings a tied head needs where it cannot share them (on a GPU, or repacked on the CPU). */
    tiedCopy: number;
    /** ggml type of the embeddings (it decides whether the CPU repacks a tied head). */
    embeddingType: string;
    /** Per block, its matrix weights (2-D and 3-D expert tensors), grouped by type and row multiple. */
    matrices: MatrixBytes[][];
    /** The output head's matrix: output.weight, or the embeddings a tied head multiplies by. */
    outputMatrix: MatrixBytes | null;
    /** Everything in the file, exactly. */
    total: number;
    /**
     * The largest single tensor of any block: a GPU copies one at a time to run a CPU layer's batch.
     * Absent where facts come from a catalog shape rather than a header (then a third of a block).
     */
    largestBlockTensor?: number;
  };
}

/** Architectures whose sliding-window layers llama.cpp actually shrinks, and their pattern (every Nth layer is full). */
const swaPatterns: Record<string, number> = { gemma2: 2, gemma3: 6, 'gpt-oss': 2, cohere2: 4, gemma3n: 5 };

/** llama_ftype names for general.file_type. */
const fileTypeNames: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
  38: 'MXFP4',
};

const num = (value: GgufValue | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const max = (values: number[]): number => values.reduce((a, b) => Math.max(a, b), 0);
/** A name llama.cpp could know: it prefixes every hyperparameter key (llama, gpt-oss, jina-bert-v2, nemotron_h…). */
const architecturePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * A weight llama.cpp multiplies by (MUL_MAT, or MUL_MAT_ID for 3-D experts), as the CPU backend's
 * repack sees it; norms, biases and 1-D tensors never are, nor convolution or state-space kernels.
 */
function matrixOf(tensor: GgufTensorInfo): MatrixBytes | null {
  const rows = tensor.dims[1] ?? 1;
  if (tensor.dims.length < 2 || rows < 2 || /norm|conv|ssm_|_b\.weight$/.test(tensor.name)) return null;
  const rowMultiple = rows % 8 === 0 ? 8 : rows % 4 === 0 ? 4 : 1;
  return { type: tensor.type.name, rowMultiple, bytes: tensor.bytes };
}

/** Where each tensor's bytes go: per block, experts, input, output; and what the blocks cover. */
function tensorBytesByPart(header: GgufHeader, layers: number) {
  const layerBytes = new Array<number>(layers).fill(0);
  const expertBytes = new Array<number>(layers).fill(0);
  const layerTensors = new Array<number>(layers).fill(0);
  const matrices = Array.from({ length: layers }, () => new Map<string, MatrixBytes>());
  let embeddingMatrix: MatrixBytes | null = null;
  let outputMatrix: MatrixBytes | null = null;
  let input = 0;
  let output = 0;
  let embeddingTensorBytes = 0;
  let embeddingType = 'F32';
  let hasOutputHead = false;
  let parameters = 0;
  let total = 0;
  let largestBlockTensor = 0;
  let beyond: string | undefined;
  for (const tensor of header.tensors) {
    total += tensor.bytes;
    parameters += tensor.dims.reduce((a, b) => a * b, 1);
    const block = /^blk\.(\d+)\./.exec(tensor.name);
    const index = block ? Number(block[1]) : -1;
    if (block && index >= layers) beyond ??= tensor.name;
    if (index >= 0 && index < layers) {
      layerBytes[index] = (layerBytes[index] ?? 0) + tensor.bytes;
      layerTensors[index] = (layerTensors[index] ?? 0) + 1;
      largestBlockTensor = Math.max(largestBlockTensor, tensor.bytes);
      if (/ffn_(gate|up|down|gate_up)_exps|ffn_(gate|up|down)\.\d+\./.test(tensor.name))
        expertBytes[index] = (expertBytes[index] ?? 0) + tensor.bytes;
      const matrix = matrixOf(tensor);
      const group = matrices[index];
      if (matrix && group) {
        const key = `${matrix.type}/${matrix.rowMultiple}`;
        const seen = group.get(key);
        group.set(key, seen ? { ...seen, bytes: seen.bytes + matrix.bytes } : matrix);
      }
    } else if (tensor.name.startsWith('output')) {
      output += tensor.bytes;
      if (tensor.name === 'output.weight') {
        hasOutputHead = true;
        outputMatrix = matrixOf(tensor);
      }
    } else {
      input += tensor.bytes;
      if (tensor.name === 'token_embd.weight') {
        embeddingTensorBytes = tensor.bytes;
        embeddingType = tensor.type.name;
        embeddingMatrix = matrixOf(tensor);
      }
    }
  }
  const missing = layerTensors.findIndex((n) => n === 0);
  return {
    layerBytes,
    expertBytes,
    input,
    output,
    embeddingTensorBytes,
    embeddingType,
    hasOutputHead,
    matrices: matrices.map((group) => [...group.values()]),
    outputMatrix: hasOutputHead ? outputMatrix : embeddingMatrix,
    parameters,
    total,
    largestBlockTensor,
    beyond,
    missing,
  };
}

export function modelFacts(header: GgufHeader): ModelFacts {
  const meta = header.metadata;
  const architecture = meta.get('general.architecture');
  if (typeof architecture !== 'string') throw new GgufFormatError('general.architecture is missing');
  if (!architecturePattern.test(architecture))
    throw new GgufFormatError(
      `general.architecture "${safeText(architecture, 64)}" is not an architecture name`,
    );
  const bounds = hyperparameterBounds;
  const key = (suffix: string): string => `${architecture}.${suffix}`;
  const layers = wholeNumber(meta, key('block_count'), bounds.layers);
  const embedding = wholeNumber(meta, key('embedding_length'), bounds.embedding);
  const headCounts = perLayer(meta, key('attention.head_count'), layers, bounds.heads, 1);
  const heads = max(headCounts) || 1;
  const kvHeads = meta.has(key('attention.head_count_kv'))
    ? perLayer(meta, key('attention.head_count_kv'), layers, bounds.heads, heads)
    : headCounts;
  const defaultHeadLength = Math.floor(embedding / heads);
  const keyLength = wholeNumber(meta, key('attention.key_length'), bounds.headLength, defaultHeadLength);
  const valueLength = wholeNumber(meta, key('attention.value_length'), bounds.headLength, defaultHeadLength);
  if (keyLength < 1 || valueLength < 1)
    throw new GgufFormatError(`${key('embedding_length')} ${embedding} is smaller than its ${heads} heads`);
  const trainContextSize = wholeNumber(meta, key('context_length'), bounds.contextLength, 4096);
  const slidingWindow = wholeNumber(meta, key('attention.sliding_window'), bounds.slidingWindow, 0) || null;
  const patternArray = meta.get(key('attention.sliding_window_pattern'));
  const pattern = swaPatterns[architecture];
  const swaLayers = Array.from({ length: layers }, (_, i) => {
    if (!slidingWindow) return false;
    if (typeof patternArray === 'object' && patternArray.values) return patternArray.values[i] === true;
    // Pattern N: every Nth layer attends to the whole context, the others to the window.
    return pattern !== undefined && i % pattern < pattern - 1;
  });
  const expertCount = wholeNumber(meta, key('expert_count'), bounds.experts, 0);
  const expertsUsed =
    expertCount > 0
      ? wholeNumber(meta, key('expert_used_count'), { min: 1, max: expertCount }, Math.min(2, expertCount))
      : 0;
  const tokens = meta.get('tokenizer.ggml.tokens');
  const vocabSize = wholeNumber(
    meta,
    key('vocab_size'),
    bounds.vocab,
    typeof tokens === 'object' ? Math.min(tokens.length, bounds.vocab.max) : 0,
  );
  const feedForward = max(
    perLayer(meta, key('feed_forward_length'), layers, bounds.feedForward, 4 * embedding),
  );

  const parts = tensorBytesByPart(header, layers);
  // The first part of a split model holds only some of the blocks' tensors.
  const split = (num(meta.get('split.count')) ?? 1) > 1;
  if (!split && parts.beyond !== undefined)
    throw new GgufFormatError(
      `tensor "${safeText(parts.beyond, 80)}" is beyond the ${layers} layers of ${key('block_count')}`,
    );
  if (!split && parts.missing >= 0)
    throw new GgufFormatError(
      `${key('block_count')} says ${layers} layers but layer ${parts.missing} has no tensors`,
    );
  // A tied head reuses the embedding matrix; offloading it puts a copy of it on the GPU.
  const tiedCopy = parts.hasOutputHead ? 0 : parts.embeddingTensorBytes;

  const fileType = num(meta.get('general.file_type'));
  const quant = (fileType !== undefined ? fileTypeNames[fileType] : undefined) ?? dominantType(header);
  const name = meta.get('general.name');
  return {
    name: safeText(typeof name === 'string' && name ? name : architecture),
    architecture,
    layers,
    embedding,
    heads,
    kvHeads,
    keyLength,
    valueLength,
    trainContextSize,
    slidingWindow,
    swaLayers,
    experts: expertCount > 0 ? { count: expertCount, used: expertsUsed } : null,
    vocabSize,
    feedForward,
    parameters: parts.parameters,
    quant,
    bytes: {
      layers: parts.layerBytes,
      expertLayers: parts.expertBytes,
      input: parts.input,
      output: parts.output + tiedCopy,
      tiedCopy,
      embeddingType: parts.embeddingType,
      matrices: parts.matrices,
      outputMatrix: parts.outputMatrix,
      total: parts.total,
      largestBlockTensor: parts.largestBlockTensor,
    },
  };
}

function dominantType(header: GgufHeader): string {
  const byType = new Map<string, number>();
  for (const t of header.tensors) byType.set(t.type.name, (byType.get(t.type.name) ?? 0) + t.bytes);
  return [...byType.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'unknown';
}
