import specs from '../../../../resources/gpu-specs.json';

export interface GpuSpec {
  name: string;
  vendor: 'nvidia' | 'amd' | 'apple' | 'intel';
  /** null for Apple's unified memory. */
  vramGiB: number | null;
  bandwidthGBs: number;
  /** FP16 matrix throughput llama.cpp uses for F16/BF16 weights (TFLOPS). */
  tflops: number;
  /** Integer matrix throughput its quantized kernels use (int8 tensor cores, DP4A): TOPS. */
  int8Tops: number;
  /** Architecture the speed model is calibrated per ("ada", "rdna3", "apple-m2"…). */
  family: string;
  /** Board power limit (W): caps the sustained matrix rate of cards whose peak needs more. */
  boardPowerW?: number;
  /** Where the numbers come from: a spec page or datasheet. */
  source: string;
  /** Apple: the GPU core count of this variant (bandwidth and throughput differ within one chip name). */
  gpuCores?: number;
  /** A GPU sharing the system's memory (DGX Spark, Strix Halo) though not an Apple chip. */
  unifiedMemory?: boolean;
}

export const gpuSpecs = specs.gpus as GpuSpec[];

// Brand words people and drivers include or omit at will.
const noise =
  /\b(nvidia|geforce|rtx|tesla|quadro|amd|ati|radeon|apple|intel|graphics|gpu|laptop|mobile|edition|r|tm)\b/g;
const normalize = (s: string): string =>
  s
    .toLowerCase()
    .replace(noise, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const words = (s: string): string[] => normalize(s).split(' ').filter(Boolean);

/** Memory size written in a GPU name or query ("12 GB", "24GB", "80G"), in GiB. */
export function memoryInName(text: string): number | undefined {
  const match = /(\d+(?:\.\d+)?)\s*(?:gb|gib|g)\b/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Finds the spec for a GPU name as drivers print it ("NVIDIA GeForce RTX 3060") or people type
 * it ("rtx 3060 12gb"): every word of the spec's name must appear, the longest such name wins
 * (so "3060 Ti" beats "3060"), and a memory size in the text picks between variants.
 */
export function findGpuSpec(text: string, vramGiB?: number): GpuSpec | undefined {
  const have = new Set(words(text));
  const memory = memoryInName(text) ?? (vramGiB !== undefined ? Math.round(vramGiB) : undefined);
  const candidates = gpuSpecs
    .map((spec) => ({ spec, specWords: words(spec.name.replace(/\b\d+\s*GB\b/i, '')) }))
    .filter(({ specWords }) => specWords.length > 0 && specWords.every((w) => have.has(w)));
  if (candidates.length === 0) return undefined;
  const longest = Math.max(...candidates.map((c) => c.specWords.length));
  const best = candidates.filter((c) => c.specWords.length === longest).map((c) => c.spec);
  if (memory !== undefined) {
    const exact = best.find((s) => s.vramGiB === memory);
    if (exact) return exact;
  }
  // Without a size, the first-listed (base) variant.
  return best[0];
}
