import { z } from 'zod';
import { route } from './route';

export const engineStateSchema = z.enum(['idle', 'starting', 'ready', 'stopping', 'stopped']);

export const engineStatusSchema = z.object({
  state: engineStateSchema,
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  modelPath: z.string().nullable(),
});

export const engineLoadInputSchema = z
  .object({
    /** A model of the library (library.list ids); the renderer never names files. */
    modelId: z.string().min(1).max(1000),
    /** Default: the estimator's choice for this machine. */
    contextSize: z.number().int().min(64).max(1_048_576).optional(),
    gpuLayers: z.union([z.number().int().min(0), z.literal('auto')]).default('auto'),
    threads: z.number().int().min(1).max(256).optional(),
  })
  .strict();

export const engineRoutes = {
  'engine.status': route({ input: z.object({}).strict().optional(), output: engineStatusSchema }),
  'engine.load': route({
    input: engineLoadInputSchema,
    output: z.object({
      modelPath: z.string(),
      contextSize: z.number(),
      gpuLayers: z.number(),
      loadMs: z.number(),
    }),
  }),
  'engine.prompt': route({
    input: z
      .object({
        text: z.string().min(1).max(100_000),
        maxTokens: z.number().int().min(1).max(32_768).default(256),
        temperature: z.number().min(0).max(5).optional(),
        seed: z.number().int().optional(),
      })
      .strict(),
    output: z.object({
      text: z.string(),
      tokens: z.number().int(),
      stopReason: z.enum(['eos', 'maxTokens', 'abort']),
    }),
  }),
};

export const engineEvents = {
  'engine.status': engineStatusSchema,
  /** Streamed text of the reply being generated, batched at the source (~16 ms). */
  'engine.chunk': z.object({ text: z.string() }),
};
