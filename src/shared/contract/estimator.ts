import { z } from 'zod';
import { route } from './route';

export const kvCacheTypeSchema = z.enum(['f16', 'q8_0', 'q4_0']);

export const memoryBreakdownSchema = z.object({
  weightsBytes: z.number(),
  kvCacheBytes: z.number(),
  computeBytes: z.number(),
  /** Kept free for the desktop and other apps (VRAM) or the OS (RAM). */
  headroomBytes: z.number(),
  totalBytes: z.number(),
  availableBytes: z.number(),
});

/**
 * The RAM side, split the way the OS sees it: `totalBytes` = `residentBytes` + `mappedWeightsBytes`.
 * The model file is memory-mapped, so weights the CPU reads in place are page cache (file-backed,
 * but read on every token); weights the CPU backend repacks are a copy the process holds.
 */
export const ramBreakdownSchema = memoryBreakdownSchema.extend({
  /** The CPU backend's repacked copies of weights (CPU_REPACK in llama.cpp's log): anonymous memory. */
  repackedWeightsBytes: z.number(),
  /** Memory only the process holds: repacked weights, loader tables, KV cache, compute buffers. */
  residentBytes: z.number(),
  /** Weights read in place from the mapped file: page cache the model uses on every token. */
  mappedWeightsBytes: z.number(),
  /** File pages read while loading and not used after (repacked or offloaded tensors): the OS reclaims them. */
  reclaimableCacheBytes: z.number(),
});

export const fitVerdictSchema = z.enum(['full-gpu', 'partial', 'cpu-only', 'does-not-fit']);

export const fitEstimateSchema = z.object({
  verdict: fitVerdictSchema,
  /** What to pass as gpuLayers: 0..totalLayers (blocks + the output layer). */
  gpuLayers: z.number().int().nonnegative(),
  totalLayers: z.number().int().positive(),
  contextSize: z.number().int().positive(),
  /** The largest context that keeps this verdict (full-gpu stays full-gpu); null when nothing fits. */
  maxContextSize: z.number().int().nullable(),
  trainContextSize: z.number().int().positive(),
  kvCacheType: kvCacheTypeSchema,
  gpu: memoryBreakdownSchema,
  ram: ramBreakdownSchema,
  speed: z.object({ generationTps: z.number().nullable(), promptTps: z.number().nullable() }),
  ruleOfThumbBytes: z.number(),
  /** Plain-language reasons, shown under the badge. */
  notes: z.array(z.string()),
  model: z.object({
    name: z.string(),
    architecture: z.string(),
    parameters: z.number(),
    quant: z.string(),
    bitsPerWeight: z.number(),
    fileBytes: z.number(),
    layers: z.number(),
    experts: z.object({ count: z.number(), used: z.number() }).nullable(),
  }),
});

export const fitInputSchema = z
  .object({
    /** A GGUF file on this machine… */
    modelPath: z.string().min(1).optional(),
    /** …or a model of the library, by id (exactly one of the two). */
    modelId: z.string().min(1).optional(),
    contextSize: z.number().int().min(256).max(2_097_152).optional(),
    kvCacheType: kvCacheTypeSchema.default('f16'),
    /** Ask about another machine: "RTX 3060 12 GB", "2x Tesla P40", "M2 Max". */
    gpuName: z.string().min(1).max(100).optional(),
    vramBytes: z.number().positive().optional(),
    /** Flash attention: llama.cpp's default (auto) turns it on where the backend supports it. */
    flashAttention: z.enum(['on', 'off', 'auto']).optional(),
    /** Micro-batch (tokens per graph run). */
    batchSize: z.number().int().min(1).max(65_536).optional(),
    /** Sequences decoded side by side (the API's slots), each with the full context. */
    parallel: z.number().int().min(1).max(64).optional(),
  })
  .strict()
  .refine((input) => (input.modelPath === undefined) !== (input.modelId === undefined), {
    message: 'Give either modelPath or modelId',
  });

export const estimatorRoutes = {
  'estimator.fit': route({ input: fitInputSchema, output: fitEstimateSchema }),
};
