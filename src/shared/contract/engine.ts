import { z } from 'zod';
import { chatMessageSchema, chatResultSchema, samplingSchema } from './chat-types';
import { route } from './route';

export const engineStateSchema = z.enum(['idle', 'starting', 'ready', 'stopping', 'stopped']);

export const engineStatusSchema = z.object({
  state: engineStateSchema,
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  modelPath: z.string().nullable(),
  /** A model being loaded, and how far (0..1). */
  loading: z.object({ modelPath: z.string(), progress: z.number() }).nullable(),
  /** Every model in memory (several when the setting allows), each in its own process. */
  loaded: z.array(z.object({ modelPath: z.string(), pid: z.number().int().nullable() })).optional(),
});

export const engineLoadInputSchema = z
  .object({
    /** A model of the library (library.list ids); the renderer never names files. */
    modelId: z.string().min(1).max(1000),
    /** Default: the estimator's choice for this machine. */
    contextSize: z.number().int().min(64).max(1_048_576).optional(),
    /** Default: the model's remembered setting, else the estimator's choice. */
    gpuLayers: z.union([z.number().int().min(0), z.literal('auto')]).optional(),
    kvCacheType: z.enum(['f16', 'q8_0', 'q4_0']).optional(),
    useMmap: z.boolean().optional(),
    threads: z.number().int().min(1).max(256).optional(),
    /** How many replies can be generated at once (each gets the full context). */
    parallel: z.number().int().min(1).max(16).optional(),
    flashAttention: z.boolean().optional(),
    batchSize: z.number().int().min(1).max(8192).optional(),
    /** Load even what the estimator says will not fit (it may then fail, or swap). */
    force: z.boolean().optional(),
  })
  .strict();

export const engineRoutes = {
  'engine.status': route({ input: z.object({}).strict().optional(), output: engineStatusSchema }),
  /** Stops the model load in progress; the load fails with CANCELLED. */
  'engine.cancelLoad': route({
    input: z.object({}).strict().optional(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  /** Frees the loaded model's memory now. */
  'engine.unload': route({
    input: z.object({}).strict().optional(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'engine.load': route({
    input: engineLoadInputSchema,
    output: z.object({
      modelPath: z.string(),
      contextSize: z.number(),
      gpuLayers: z.number(),
      loadMs: z.number(),
    }),
  }),
  'engine.chat': route({
    input: z
      .object({
        /** Chosen by the caller, so it can follow the streamed chunks and stop this reply. */
        requestId: z.string().min(1).max(100),
        messages: z.array(chatMessageSchema).min(1).max(10_000),
        sampling: samplingSchema.default({ temperature: 0.7, maxTokens: 2048, stop: [] }),
        jsonSchema: z.record(z.string(), z.unknown()).optional(),
        /** Benchmarks: generate the full maxTokens, ignoring end-of-turn. */
        ignoreEos: z.boolean().optional(),
      })
      .strict(),
    output: chatResultSchema,
  }),
  /** Stops a reply: it ends with what was generated so far (stop reason "abort"). */
  'engine.stop': route({
    input: z.object({ requestId: z.string().min(1).max(100) }).strict(),
    output: z.object({ stopped: z.boolean() }),
  }),
};

export const engineEvents = {
  'engine.status': engineStatusSchema,
  /** Streamed text of a reply, batched at the source (~16 ms); thought is a reasoning model's thinking. */
  'engine.chunk': z.object({ requestId: z.string(), text: z.string(), segment: z.enum(['text', 'thought']) }),
};
