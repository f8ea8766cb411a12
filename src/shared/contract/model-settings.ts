import { z } from 'zod';
import { kvCacheTypeSchema } from './estimator';
import { route } from './route';

/** How a model is loaded; anything unset is chosen by the estimator for this machine. */
export const modelLoadSettingsSchema = z
  .object({
    gpuLayers: z.union([z.number().int().min(0), z.literal('auto')]).optional(),
    contextSize: z.number().int().min(256).max(1_048_576).optional(),
    kvCacheType: kvCacheTypeSchema.optional(),
    flashAttention: z.boolean().optional(),
    threads: z.number().int().min(1).max(256).optional(),
    useMmap: z.boolean().optional(),
    batchSize: z.number().int().min(1).max(8192).optional(),
    /** Replies generated at once (API clients); each takes its own context's memory. */
    parallel: z.number().int().min(1).max(16).optional(),
  })
  .strict();

export const modelSettingsRoutes = {
  'models.settings': route({
    input: z.object({ modelId: z.string().min(1).max(1000) }).strict(),
    output: modelLoadSettingsSchema,
  }),
  /** Remembers a model's overrides, replacing the previous ones: what is left out, the estimator chooses. */
  'models.updateSettings': route({
    input: z.object({ modelId: z.string().min(1).max(1000), settings: modelLoadSettingsSchema }).strict(),
    output: modelLoadSettingsSchema,
  }),
};
