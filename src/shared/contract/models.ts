import { z } from 'zod';
import { fitEstimateSchema } from './estimator';
import { route } from './route';

export const catalogEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  repo: z.string(),
  parametersB: z.number(),
  uses: z.array(z.enum(['chat', 'code', 'reasoning', 'small'])),
  license: z.string(),
  description: z.string(),
  /** Estimated at Q4_K_M from the model's shape, before anything is downloaded. */
  fit: fitEstimateSchema,
  approxSizeBytes: z.number(),
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
    input: z.object({ repo: z.string().min(3).max(200) }).strict(),
    output: hubModelSchema.extend({
      variants: z.array(variantSchema),
      recommended: recommendationSchema.nullable(),
      architecture: z.string().nullable(),
    }),
  }),
};
