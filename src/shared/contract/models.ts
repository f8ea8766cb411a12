import { z } from 'zod';
import { fitEstimateSchema, fitSettingsSchema } from './estimator';
import { route } from './route';

export const catalogEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  repo: z.string(),
  /** Total parameters: what must fit in memory. */
  parametersB: z.number(),
  /** Mixture of experts: parameters one token uses, which sets the speed; null for dense models. */
  activeParametersB: z.number().nullable(),
  contextLength: z.number(),
  uses: z.array(z.enum(['chat', 'code', 'reasoning', 'small', 'embeddings'])),
  capabilities: z.object({
    tools: z.boolean(),
    vision: z.boolean(),
    reasoning: z.boolean(),
    embeddings: z.boolean(),
  }),
  license: z.string(),
  description: z.string(),
  /** GGUF files the repo holds (split models: every part); size and sha256 where a source gave them. */
  files: z.array(
    z.object({
      path: z.string(),
      quant: z.string(),
      sizeBytes: z.number().nullable(),
      sha256: z.string().nullable(),
    }),
  ),
  /** Where the entry's facts come from (model card, config, file list). */
  sources: z.array(z.string()),
  /** An older model, not proposed on first run while a current one fits. */
  legacy: z.boolean(),
  /** Estimated at `approxQuant` from the model's shape, before anything is downloaded. */
  fit: fitEstimateSchema,
  approxSizeBytes: z.number(),
  approxQuant: z.string(),
});

export const hubModelSchema = z.object({
  id: z.string(),
  author: z.string(),
  downloads: z.number(),
  likes: z.number(),
  gated: z.union([z.literal(false), z.literal('auto'), z.literal('manual')]),
  license: z.string().nullable(),
  lastModified: z.string().nullable(),
});

export const variantSchema = z.object({
  quant: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  parts: z.number(),
  fit: fitEstimateSchema.nullable(),
});

export const recommendationSchema = z.object({
  repo: z.string(),
  variant: variantSchema,
  reason: z.string(),
});

export const modelRoutes = {
  'catalog.list': route({ input: z.object({}).strict().optional(), output: z.array(catalogEntrySchema) }),
  /** First run: the one model to propose for this machine. */
  'catalog.recommend': route({
    input: z.object({}).strict().optional(),
    output: recommendationSchema.extend({ entry: catalogEntrySchema }),
  }),
  'hub.search': route({
    input: z
      .object({ query: z.string().max(200).default(''), cursor: z.string().max(2000).optional() })
      .strict(),
    output: z.object({ models: z.array(hubModelSchema), next: z.string().nullable() }),
  }),
  'hub.model': route({
    input: z
      .object({
        repo: z.string().min(3).max(200),
        /** The settings every quant is checked with (context, GPU layers, another machine…). */
        fit: fitSettingsSchema.optional(),
      })
      .strict(),
    output: hubModelSchema.extend({
      variants: z.array(variantSchema),
      recommended: recommendationSchema.nullable(),
      architecture: z.string().nullable(),
    }),
  }),
};
