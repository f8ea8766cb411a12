import type { HardwareProfile } from '../../../shared/contract';
import type { MatrixBytes } from './model-facts';

/**
 * Which weight types llama.cpp's CPU backend copies into its interleaved layout (the CPU_REPACK
 * buffer), and the row multiple each needs. From ggml_repack_get_optimal_repack_type() in
 * ggml/src/ggml-cpu/repack.cpp of the llama.cpp that node-llama-cpp 3.21.1 bundles.
 */
export type RepackRule = Readonly<Record<string, number>>;

/** x86 with AVX2 (every variant node-llama-cpp ships for it): 8-row interleaves. */
const avx2: RepackRule = { Q4_0: 8, Q4_K: 8, IQ4_NL: 8, MXFP4: 8 };
/** ARM with dot-product instructions (Apple M, Graviton, Snapdragon X): 4- and 8-row interleaves. */
const armDotprod: RepackRule = { Q4_0: 4, Q4_K: 8, Q5_K: 8, Q6_K: 8, IQ4_NL: 4, MXFP4: 4, Q8_0: 4 };

/**
 * The rule for a machine. None when a GPU backend is loaded: llama.cpp then lists the GPU's pinned
 * host buffer before the repack buffer for CPU-side weights, and with mmap swaps that for the plain
 * mapped buffer (llama-model-loader.cpp, "avoid using a host buffer when using mmap"), so nothing
 * is repacked even for layers left on the CPU.
 */
export function repackRule(cpu: HardwareProfile['cpu'], gpuBackend: boolean): RepackRule {
  if (gpuBackend) return {};
  if (cpu.flags.avx2) return cpu.flags.avx512 ? { ...avx2, Q2_K: 8 } : avx2;
  if (cpu.flags.neon) return armDotprod;
  return {};
}

/** Whether the CPU backend repacks this matrix: its type has a kernel and its rows fill the interleave. */
export function repacks(rule: RepackRule | undefined, matrix: MatrixBytes | null): boolean {
  const multiple = matrix ? rule?.[matrix.type] : undefined;
  return !!matrix && multiple !== undefined && matrix.rowMultiple % multiple === 0;
}

/** Bytes of a block's matrices the CPU repacks (the copy is the same size as the file's bytes). */
export function repackedBytes(rule: RepackRule | undefined, matrices: readonly MatrixBytes[]): number {
  return matrices.reduce((sum, m) => sum + (repacks(rule, m) ? m.bytes : 0), 0);
}
