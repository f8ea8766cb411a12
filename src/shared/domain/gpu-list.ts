import { parseMemorySize } from './format';

/** The most GPUs one plan may name (llama.cpp's own limit is 16 devices). */
export const maxGpus = 16;

export type GpuListResult = { ok: true; bytes: number[] } | { ok: false; error: string };

/**
 * Free memory per GPU as a user writes it: "24GB,12GB", "24, 12" (GB), "8192MiB 8192MiB".
 * Each entry is a size (parseMemorySize); the error names the entry that is not one.
 */
export function parseGpuList(text: string): GpuListResult {
  const entries = text
    .split(/[,;\s]+/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) return { ok: false, error: 'Give the free memory of each GPU, like 24GB,12GB' };
  if (entries.length > maxGpus)
    return { ok: false, error: `${entries.length} GPUs is more than Hearth plans for (at most ${maxGpus})` };
  const bytes: number[] = [];
  for (const [i, entry] of entries.entries()) {
    const size = parseMemorySize(entry);
    if (size === undefined || !Number.isFinite(size) || size > 2 ** 50)
      return {
        ok: false,
        error: `GPU ${i}: "${entry.slice(0, 20)}" is not a memory size (write it like 24GB or 8192MiB)`,
      };
    bytes.push(size);
  }
  return { ok: true, bytes };
}
