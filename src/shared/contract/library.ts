import { z } from 'zod';
import { route } from './route';

export const modelSourceSchema = z.enum(['hearth', 'imported', 'huggingface-cache', 'lm-studio', 'ollama']);

export const libraryModelSchema = z.object({
  /** Stable id: source + path; the renderer names models by id, never by path. */
  id: z.string(),
  name: z.string(),
  path: z.string(),
  files: z.array(z.string()),
  sizeBytes: z.number(),
  source: modelSourceSchema,
  /** Models other tools own are used in place and never deleted by Hearth. */
  readOnly: z.boolean(),
  repo: z.string().nullable(),
  quant: z.string().nullable(),
  architecture: z.string().nullable(),
  parameters: z.number().nullable(),
  contextLength: z.number().nullable(),
  hasChatTemplate: z.boolean(),
  /** An embedding model (a pooling type in its header, or an encoder such as bert): it makes vectors, not replies. */
  embedding: z.boolean(),
  /** The chat template writes tool calls (or node-llama-cpp knows the model's own call syntax). */
  toolCalls: z.boolean(),
  license: z.string().nullable(),
  /** Set when the file could not be read as a model. */
  error: z.string().nullable(),
  modifiedAt: z.number(),
});

export const libraryRoutes = {
  'library.list': route({
    input: z
      .object({ refresh: z.boolean().default(false) })
      .strict()
      .optional(),
    output: z.array(libraryModelSchema),
  }),
  'library.delete': route({
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ deleted: z.array(z.string()) }),
  }),
  'library.import': route({
    input: z.object({ path: z.string().min(1), mode: z.enum(['copy', 'link']).default('copy') }).strict(),
    output: libraryModelSchema,
  }),
};

export const libraryEvents = {
  'library.changed': z.object({ count: z.number() }),
};
