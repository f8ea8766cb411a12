import { readFileSync } from 'node:fs';
import { z } from 'zod';
import bundledCatalog from '../../../../resources/catalog.json';
import { AppError } from '../../../shared/contract';
import { parseQuantLabel } from '../../../shared/domain/gguf-files';

/** The real model's hyperparameters (its config.json), for fit badges before anything is downloaded. */
const shapeSchema = z
  .object({
    layers: z.number().int().positive(),
    embedding: z.number().int().positive(),
    heads: z.number().int().positive(),
    kvHeads: z.number().int().positive(),
    contextLength: z.number().int().positive(),
    vocab: z.number().int().positive(),
    headDim: z.number().int().positive().optional(),
    slidingWindow: z.number().int().positive().optional(),
    /** Of every N layers, N-1 use the sliding window and one attends to everything (gpt-oss 2, Gemma 3 6). */
    slidingWindowPattern: z.number().int().min(2).optional(),
    experts: z.object({ count: z.number().int().positive(), used: z.number().int().positive() }).optional(),
  })
  .strict();

/** A file the repo holds: sizes and hashes only when a source gave them, since `catalog check` compares. */
const fileSchema = z
  .object({
    path: z.string().regex(/\.gguf$/i, 'must be a .gguf file'),
    sizeBytes: z.number().int().positive().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict();

const capabilitiesSchema = z
  .object({ tools: z.boolean(), vision: z.boolean(), reasoning: z.boolean(), embeddings: z.boolean() })
  .strict();

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    name: z.string(),
    family: z.string(),
    repo: z.string(),
    parametersB: z.number().positive(),
    /** Mixture of experts: the parameters one token uses (speed), beside the total (memory). */
    activeParametersB: z.number().positive().optional(),
    shape: shapeSchema,
    uses: z.array(z.enum(['chat', 'code', 'reasoning', 'small', 'embeddings'])),
    license: z.string(),
    description: z.string(),
    capabilities: capabilitiesSchema.default({
      tools: false,
      vision: false,
      reasoning: false,
      embeddings: false,
    }),
    files: z.array(fileSchema).default([]),
    /** Where each fact came from: model card, config, file list. */
    sources: z.array(z.url({ protocol: /^https$/ })).default([]),
    /** Kept for people who know it; not proposed on first run when a newer model fits. */
    legacy: z.boolean().default(false),
  })
  .strict();

export const catalogFileSchema = z.object({
  note: z.string().optional(),
  models: z.array(entrySchema),
});

export type CatalogFileEntry = z.output<typeof entrySchema>;
export type CatalogFile = z.output<typeof catalogFileSchema>;
export type CatalogFileInfo = CatalogFileEntry['files'][number];

/** The quant a file holds, from its name ("…-Q4_K_M.gguf", "…-mxfp4-00001-of-00003.gguf"). */
export const fileQuant = (file: CatalogFileInfo): string => parseQuantLabel(file.path) ?? 'unknown';

/** The shipped catalog, or another file (tests and `hearth catalog check --catalog`). */
export function loadCatalog(path?: string): CatalogFile {
  let raw: unknown = bundledCatalog;
  if (path) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new AppError('BAD_INPUT', `Cannot read the catalog ${path}: ${(error as Error).message}`);
    }
  }
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'BAD_INPUT',
      `The catalog ${path ?? '(bundled)'} is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}
