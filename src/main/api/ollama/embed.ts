import { z } from 'zod';
import { readJson } from '../api-body';
import { embed, embeddingInput, type EmbedDeps } from '../embedding-run';
import type { Exchange } from '../generation';
import { sendJson } from '../http-out';
import type { KeepAlive } from '../keep-alive';
import { optionsSchema } from './schemas';
import { keepAliveMs } from './translate';

export interface OllamaEmbedDeps extends EmbedDeps {
  keepAlive: KeepAlive;
}

const modelName = z.string().min(1).max(500);
const keepAlive = z.union([z.number(), z.string().max(40)]);

/** POST /api/embed. No input (or an empty one) only loads the model, as Ollama does. */
const embedSchema = z.object({
  model: modelName,
  input: embeddingInput({ tokens: false, allowEmpty: true }),
  /** Cut inputs longer than the context (Ollama's default), or refuse them. */
  truncate: z.boolean().optional(),
  dimensions: z.number().int().min(1).max(65_536).optional(),
  keep_alive: keepAlive.optional(),
  options: optionsSchema.optional(),
});

/** POST /api/embeddings, the older single-prompt form. */
const embeddingsSchema = z.object({
  model: modelName,
  prompt: z.string().max(4_000_000).optional(),
  keep_alive: keepAlive.optional(),
  options: optionsSchema.optional(),
});

const ns = (ms: number): number => Math.round(ms * 1e6);

/** Ollama's preload: the model is loaded (or waited for) and nothing is embedded. */
async function loadOnly(deps: OllamaEmbedDeps, ex: Exchange, name: string, keep: number | undefined) {
  const model = await deps.catalog.resolve(name);
  const release = await deps.scheduler.acquire(model.model, ex.signal);
  release();
  deps.keepAlive.set(model.model.path, keep);
}

export async function ollamaEmbed(deps: OllamaEmbedDeps, ex: Exchange, headers: Record<string, string>) {
  const body = await readJson(ex.req, embedSchema, deps.maxBodyBytes);
  const keep = keepAliveMs(body.keep_alive);
  const inputs = body.input;
  if (inputs.length === 0) {
    await loadOnly(deps, ex, body.model, keep);
    return sendJson(ex.res, 200, { model: body.model, embeddings: [] }, headers);
  }
  const model = await deps.catalog.resolve(body.model);
  try {
    const result = await embed(deps, ex, model, body.model, {
      inputs,
      truncate: body.truncate !== false,
      normalize: true,
      dimensions: body.dimensions,
    });
    sendJson(
      ex.res,
      200,
      {
        model: body.model,
        embeddings: result.vectors,
        total_duration: ns(Date.now() - ex.at),
        load_duration: ns(result.loadMs),
        prompt_eval_count: result.tokens.reduce((sum, n) => sum + n, 0),
      },
      headers,
    );
  } finally {
    deps.keepAlive.set(model.model.path, keep);
  }
}

/** The older endpoint: one prompt, one vector, as the model makes it (Ollama does not normalize this one). */
export async function ollamaEmbeddings(deps: OllamaEmbedDeps, ex: Exchange, headers: Record<string, string>) {
  const body = await readJson(ex.req, embeddingsSchema, deps.maxBodyBytes);
  const keep = keepAliveMs(body.keep_alive);
  if (!body.prompt) {
    await loadOnly(deps, ex, body.model, keep);
    return sendJson(ex.res, 200, { embedding: [] }, headers);
  }
  const model = await deps.catalog.resolve(body.model);
  try {
    const result = await embed(deps, ex, model, body.model, {
      inputs: [body.prompt],
      truncate: true,
      normalize: false,
    });
    sendJson(ex.res, 200, { embedding: result.vectors[0] ?? [] }, headers);
  } finally {
    deps.keepAlive.set(model.model.path, keep);
  }
}
