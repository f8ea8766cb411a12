/**
 * Buffer sizes from published llama.cpp load logs on NVIDIA GPUs (llama.cpp prints each as
 * "<buffer> <kind> buffer size = N MiB"), for the GPU side of the memory bench: Hearth has no GPU
 * to measure on. Each row has the model's real shape (written as a header-faithful sparse GGUF),
 * the settings the log shows, where the log put the layers, and the source. These are other
 * llama.cpp versions than the bundled one, so their layer placement is given as logged.
 *
 * `fitted` names the buffers whose formula was tuned on that row (the host compute buffer beside a
 * GPU, and the first GPU's buffer when the head stays in RAM); every other buffer is held out.
 */
import type { RealShape } from '../../tests/fixtures/gguf';

const MiB = 1024 * 1024;

export interface PublicLoad {
  id: string;
  /** Where the log is: a public GitHub file found by its text, described so it can be found again. */
  source: string;
  shape: RealShape;
  settings: {
    contextSize: number;
    ubatch: number;
    flashAttention: boolean;
    parallel: number;
    unifiedKv: boolean;
  };
  /** Blocks [from, to) on the (single) GPU and whether it holds the output layer, as logged. */
  gpu: { from: number; to: number; output: boolean };
  /** Bytes per buffer, as logged: device name → kind → bytes. */
  measured: {
    gpuModel?: number;
    gpuKv?: number;
    gpuCompute?: number;
    hostKv?: number;
    hostCompute?: number;
    hostOutput?: number;
  };
  fitted: ('gpuCompute' | 'hostCompute')[];
  note?: string;
}

const mistral7b: RealShape = {
  id: 'mistral_7b',
  arch: 'llama',
  name: 'Mistral-7B-Instruct-v0.1',
  embedding: 4096,
  layers: 32,
  heads: 32,
  kvHeads: 8,
  feedForward: 14336,
  vocab: 32000,
  contextLength: 32768,
};

export const publicLoads = (shapes: Record<'llama31_8b' | 'qwen25_7b', RealShape>): PublicLoad[] => [
  {
    id: 'llama31-8b-q4km-rtx4090-full',
    source:
      'Ollama 0.5.4 server log (vendored llama.cpp, Dec 2024), RTX 4090: public GitHub file, index id 48629668660, "Log del servidor por ambos requests"',
    shape: shapes.llama31_8b,
    // --ctx-size 8192 --parallel 4: one unified cache of 8192 cells, 2048 per sequence; flash_attn = 0.
    settings: { contextSize: 2048, ubatch: 512, flashAttention: false, parallel: 4, unifiedKv: true },
    gpu: { from: 0, to: 32, output: true },
    measured: {
      gpuModel: 4403.49 * MiB,
      gpuKv: 1024 * MiB,
      gpuCompute: 560 * MiB,
      hostCompute: 24.01 * MiB,
      hostOutput: 2.02 * MiB,
    },
    fitted: ['hostCompute'],
  },
  {
    id: 'mistral-7b-q4km-partial-20',
    source:
      'llama-cpp-python run in "A GPU-Accelerated RAG-Based Telegram Assistant for Supporting Parallel Processing Students" (EduHPC25, Guy Tel-Zur): public GitHub file, index id 10707478535',
    shape: mistral7b,
    // n_gpu_layers 20 in a 2025 llama.cpp that offloaded blocks first: blocks 12-31, the head on the CPU.
    settings: { contextSize: 768, ubatch: 256, flashAttention: true, parallel: 1, unifiedKv: false },
    gpu: { from: 12, to: 32, output: false },
    measured: {
      gpuModel: 2495.31 * MiB,
      gpuKv: 60 * MiB,
      hostKv: 36 * MiB,
      gpuCompute: 137.79 * MiB,
      hostCompute: 4.76 * MiB,
      hostOutput: 0.12 * MiB,
    },
    fitted: ['gpuCompute', 'hostCompute'],
  },
  {
    id: 'qwen25-7b-q4km-partial-16',
    source:
      'Ollama on a GTX 1650 Max-Q (2026 llama.cpp, sched_reserve): public GitHub file, index id 68920105112, "offloaded 16/29 layers to GPU"',
    shape: shapes.qwen25_7b,
    // The output layer and blocks 13-27; Ollama's defaults: 512-token batches, flash attention auto (on).
    settings: { contextSize: 4096, ubatch: 512, flashAttention: true, parallel: 1, unifiedKv: false },
    gpu: { from: 13, to: 28, output: true },
    measured: { gpuModel: 2439.44 * MiB, gpuKv: 120 * MiB, gpuCompute: 183.44 * MiB },
    fitted: [],
    note: "Ollama's runner may reserve fewer outputs than node-llama-cpp (n_outputs_max), which shrinks the logits",
  },
  {
    id: 'llama3-8b-cpu-only-512',
    source:
      'llama.cpp CPU load of Meta-Llama-3-8B-Instruct Q6_K (2024), n_ctx 512: public GitHub file, index id 28526440513',
    shape: shapes.llama31_8b,
    settings: { contextSize: 512, ubatch: 512, flashAttention: false, parallel: 1, unifiedKv: false },
    gpu: { from: 32, to: 32, output: false },
    measured: { hostKv: 64 * MiB, hostCompute: 258.5 * MiB, hostOutput: 0.49 * MiB },
    fitted: [],
  },
];
