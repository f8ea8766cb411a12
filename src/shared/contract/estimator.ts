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

/** One GPU's share of the placement: llama.cpp splits the offloaded layers by free memory. */
export const deviceFitSchema = memoryBreakdownSchema.extend({
  index: z.number().int().nonnegative(),
  name: z.string(),
  /** Blocks [firstBlock, firstBlock + blocks) live on this GPU. */
  firstBlock: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
  /** The output layer (head) is here: the last GPU with a share, as llama.cpp assigns it. */
  holdsOutput: z.boolean(),
  /** Its total fits its free memory less headroom. */
  fits: z.boolean(),
});

export type DeviceFit = z.output<typeof deviceFitSchema>;

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
  /** All GPUs together. */
  gpu: memoryBreakdownSchema,
  /** Per GPU, in device order (empty when nothing is offloaded). */
  devices: z.array(deviceFitSchema),
  ram: ramBreakdownSchema,
  speed: z.object({ generationTps: z.number().nullable(), promptTps: z.number().nullable() }),
  ruleOfThumbBytes: z.number(),
  /** Plain-language reasons, shown under the badge. */
  notes: z.array(z.string()),
  /**
   * What this machine measured (its own runs, kept locally): the factors `speed` was scaled by for
   * this backend, GPU and model family, and this model's median measured speeds. Absent when
   * planning for another machine or before anything ran here.
   */
  measured: z
    .object({
      generationFactor: z.number(),
      promptFactor: z.number(),
      /** Runs the factors come from (this GPU, backend and model family). */
      runs: z.number().int().nonnegative(),
      /** This model, measured here: median of its replies. */
      generationTps: z.number().nullable(),
      promptTps: z.number().nullable(),
      modelRuns: z.number().int().nonnegative(),
      /** This model's last load here: the GPU memory and RAM llama.cpp reported allocating. */
      gpuBytes: z.number().nullable().optional(),
      ramBytes: z.number().nullable().optional(),
      /** "Predictions for this GPU are scaled by 0.82 from 14 measured runs." */
      note: z.string(),
      /**
       * This machine's loads against the memory prediction: GPU memory when layers go to the GPU,
       * RAM for a CPU-only plan. The buffers above were already scaled by these factors.
       */
      memory: z
        .object({
          side: z.enum(['gpu', 'ram']),
          /** All classes together: what the side's total was scaled by. */
          factor: z.number(),
          weightsFactor: z.number(),
          kvFactor: z.number(),
          computeFactor: z.number(),
          loads: z.number().int().nonnegative(),
          /** "GPU memory predictions on this GPU are scaled by 1.04 from 6 measured loads." */
          note: z.string(),
        })
        .optional(),
    })
    .nullable()
    .optional(),
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

/** The settings a fit answer depends on, whatever the model is (a file, a library model, a Hub quant). */
export const fitSettingsSchema = z
  .object({
    contextSize: z.number().int().min(256).max(2_097_152).optional(),
    kvCacheType: kvCacheTypeSchema.optional(),
    /** Ask about another machine: "RTX 3060 12 GB", "2x Tesla P40", "M2 Max". */
    gpuName: z.string().min(1).max(100).optional(),
    vramBytes: z.number().positive().optional(),
    /** Ask about a CPU and its memory: "Ryzen 9 7950X, DDR5-6000 2ch" (alone: a CPU-only machine). */
    cpuName: z.string().min(1).max(100).optional(),
    /** Flash attention: llama.cpp's default (auto) turns it on where the backend supports it. */
    flashAttention: z.enum(['on', 'off', 'auto']).optional(),
    /** Micro-batch (tokens per graph run). */
    batchSize: z.number().int().min(1).max(65_536).optional(),
    /** Sequences decoded side by side (the API's slots), each with the full context. */
    parallel: z.number().int().min(1).max(64).optional(),
    /** Layers to offload (blocks + output); the most that fit when absent. */
    gpuLayers: z.number().int().min(0).max(100_000).optional(),
    /** Free memory per GPU, in bytes: replaces the GPUs Hearth sees (or names) with these. */
    gpus: z
      .array(
        z
          .number()
          .positive()
          .max(2 ** 50),
      )
      .min(1)
      .max(16)
      .optional(),
  })
  .strict();

export const fitInputSchema = fitSettingsSchema
  .extend({
    /** A GGUF file on this machine… */
    modelPath: z.string().min(1).optional(),
    /** …or a model of the library, by id (exactly one of the two). */
    modelId: z.string().min(1).optional(),
    kvCacheType: kvCacheTypeSchema.default('f16'),
    /** Count a vision projector (mmproj*.gguf) found next to the model; true by default. */
    projector: z.boolean().optional(),
  })
  .strict()
  .refine((input) => (input.modelPath === undefined) !== (input.modelId === undefined), {
    message: 'Give either modelPath or modelId',
  });

export const estimatorRoutes = {
  'estimator.fit': route({ input: fitInputSchema, output: fitEstimateSchema }),
};
