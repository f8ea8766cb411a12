import { blockPeak, fullGraphBytes, maskBytes, outputPeak, type GraphShape } from './compute';
import type { ModelFacts } from './model-facts';

/**
 * The CUDA backend takes an op whose weights sit in host memory when its batch has at least this
 * many rows (ggml_backend_cuda_device_offload_op, GGML_OP_OFFLOAD_MIN_BATCH, default 32); llama.cpp
 * reserves its compute buffers for a full micro-batch, so any micro-batch of 32+ reserves for it.
 */
export const opOffloadMinBatch = 32;

/** llama.cpp's scheduler keeps this many copies of each graph input with pipeline parallelism. */
export const pipelineCopies = 4;

const f32 = 4;

export interface DeviceRole {
  /** Blocks this device holds. */
  blocks: number;
  holdsOutput: boolean;
  /** The first GPU: ggml_backend_sched offers host-weight ops to the backends in order, so it runs them. */
  first: boolean;
}

/** What the GPUs run for the CPU side during a large batch (op offload). */
export interface HostWork {
  /** Blocks whose weights stay in RAM. */
  cpuBlocks: number;
  outputOnCpu: boolean;
  /** K + V bytes of the largest layer kept in RAM: attention on the GPU reads them through a copy. */
  cpuLayerKvBytes: number;
  /** Several GPUs, every layer offloaded: the scheduler pipelines micro-batches across them. */
  pipelined: boolean;
}

/** One block tensor at a time: what the facts say, or a third of the largest block (its FFN matrices dominate). */
const largestBlockTensor = (facts: ModelFacts): number =>
  facts.bytes.largestBlockTensor ?? Math.max(0, ...facts.bytes.layers) / 3;

/**
 * A GPU's compute buffer, from how ggml_backend_sched splits llama.cpp's worst-case graph:
 * - its own layers' graph, as on the CPU (the same graph, fullGraphBytes), the output layer's
 *   logits for a full micro-batch where it holds the head;
 * - on the first GPU, the batch work of layers left in RAM: each matrix product with a host weight
 *   runs on the GPU, starting a new split whose input is a copy of that weight (so one weight at a
 *   time, plus the layer's activations and a copy of its K and V); and the output head's product with
 *   a copy of the head when the head stays in RAM. This is why a GPU compute buffer exists at 0 layers;
 * - with pipeline parallelism, 3 more copies of each split's inputs (the mask and the hidden state).
 */
export function deviceComputeBytes(
  facts: ModelFacts,
  g: GraphShape,
  role: DeviceRole,
  host: HostWork,
): number {
  const own =
    role.blocks > 0
      ? fullGraphBytes(facts, g, role.holdsOutput)
      : role.holdsOutput
        ? outputPeak(facts, g)
        : 0;
  let offloaded = 0;
  if (role.first && g.ubatch >= opOffloadMinBatch) {
    if (host.cpuBlocks > 0)
      offloaded = largestBlockTensor(facts) + maskBytes(g) + blockPeak(facts, g) + host.cpuLayerKvBytes;
    // The head's copy, the logits and the normed rows: 137.79 MiB for Mistral 7B Q4_K_M (Q6_K head
    // 102.54 + 256 x 32000 logits 31.25 + 256 x 4096 rows 4) in a published CUDA load at 256 tokens.
    if (host.outputOnCpu)
      offloaded = Math.max(
        offloaded,
        (facts.bytes.outputMatrix?.bytes ?? 0) + g.ubatch * f32 * (facts.vocabSize + facts.embedding),
      );
  }
  const pipeline =
    host.pipelined && (role.blocks > 0 || role.holdsOutput)
      ? (pipelineCopies - 1) * (maskBytes(g) + g.ubatch * facts.embedding * f32)
      : 0;
  return Math.max(own, offloaded) + pipeline;
}
