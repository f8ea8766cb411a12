import { z } from 'zod';
import { readJson } from '../api-body';
import { embed, embeddingInput, type EmbedDeps } from '../embedding-run';
import type { Exchange } from '../generation';
import { sendJson } from '../http-out';

/** POST /v1/embeddings as OpenAI documents it; `user` and unknown fields pass unread. */
export const embeddingsSchema = z.object({
  model: z.string().min(1).max(500),
  input: embeddingInput({ tokens: true, allowEmpty: false }),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).max(65_536).optional(),
});

/** OpenAI's base64 form: the vector's little-endian float32 bytes (the openai client decodes it). */
export function base64Vector(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}

export async function openAiEmbeddings(
  deps: EmbedDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, embeddingsSchema, deps.maxBodyBytes);
  const model = await deps.catalog.resolve(body.model);
  // OpenAI refuses inputs over the model's length rather than cutting them.
  const result = await embed(deps, ex, model, body.model, {
    inputs: body.input,
    truncate: false,
    normalize: true,
    dimensions: body.dimensions,
  });
  const base64 = body.encoding_format === 'base64';
  const tokens = result.tokens.reduce((sum, n) => sum + n, 0);
  sendJson(
    ex.res,
    200,
    {
      object: 'list',
      data: result.vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? base64Vector(vector) : vector,
      })),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
    headers,
  );
}
