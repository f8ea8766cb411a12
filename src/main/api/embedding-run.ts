import { z } from 'zod';
import type { EmbedRequest, EmbedResult } from '../engine-process/protocol';
import { ApiError, ClientGone, toApiError } from './api-error';
import type { Exchange, GenerateDeps } from './generation';
import type { ModelCatalog } from './model-catalog';
import type { ApiModel } from './model-names';

/** OpenAI's own limit on inputs in one request. */
export const maxEmbeddingInputs = 2048;

export interface EmbedDeps extends GenerateDeps {
  catalog: ModelCatalog;
  maxBodyBytes: number;
  /** The user let chat models make vectors too (hearth serve --embeddings-from-chat-models). */
  embeddingsFromChatModels: boolean;
}

export type Embedded = Extract<EmbedResult, { vectors: unknown }> & {
  /** From arrival until the model held a slot (loading it when it was not in memory). */
  loadMs: number;
};

/**
 * Texts, or (OpenAI) token lists: a string, a list of strings, one token list, or a list of token
 * lists. Each wrong item is named, so the client knows which one to fix.
 */
export const embeddingInput = ({ tokens, allowEmpty }: { tokens: boolean; allowEmpty: boolean }) =>
  // optional() first: without it zod refuses an absent field before the checks below can name it.
  z
    .unknown()
    .optional()
    .transform((value, ctx): Array<string | number[]> => {
      const fail = (message: string, path: Array<string | number> = []) => {
        ctx.addIssue({ code: 'custom', message, path });
        return z.NEVER;
      };
      const kinds = tokens ? 'a string, a list of strings or token ids' : 'a string or a list of strings';
      // Ollama's preload: no input, or an empty one, only loads the model.
      if (allowEmpty && (value === undefined || value === null || value === '')) return [];
      if (allowEmpty && Array.isArray(value) && value.length === 0) return [];
      if (value === undefined) return fail(`required: ${kinds}`);
      if (typeof value === 'string')
        return value === '' ? fail('is empty: there is nothing to embed') : [value];
      if (!Array.isArray(value)) return fail(`expected ${kinds}`);
      if (value.length === 0) return fail('is an empty list: there is nothing to embed');
      if (value.length > maxEmbeddingInputs)
        return fail(`holds ${value.length} inputs; at most ${maxEmbeddingInputs} go in one request`);
      const isTokenId = (t: unknown): t is number => typeof t === 'number' && Number.isInteger(t) && t >= 0;
      // One token list: [1, 2, 3].
      if (tokens && value.every((t) => typeof t === 'number'))
        return value.every(isTokenId) ? [value as number[]] : fail('token ids are whole numbers from 0');
      const inputs: Array<string | number[]> = [];
      for (const [i, item] of value.entries()) {
        if (typeof item === 'string') {
          if (item === '') return fail('is empty: there is nothing to embed', [i]);
          inputs.push(item);
        } else if (tokens && Array.isArray(item) && item.length > 0 && item.every(isTokenId)) {
          inputs.push(item as number[]);
        } else {
          return fail(tokens ? 'expected a string or a non-empty list of token ids' : 'expected a string', [
            i,
          ]);
        }
      }
      return inputs;
    });

/** A model that is not an embedding model is refused, unless the user opted in. */
function checkKind(deps: EmbedDeps, model: ApiModel, asked: string): void {
  if (model.model.embedding || deps.embeddingsFromChatModels) return;
  const what = model.model.hasChatTemplate ? 'a chat model' : 'a text-generation model';
  throw new ApiError(
    400,
    `${asked.slice(0, 200)} is ${what}, not an embedding model: use an embedding model (nomic-embed-text, bge, all-MiniLM…), or start Hearth with --embeddings-from-chat-models to let chat models make vectors`,
    'model_not_embedding',
    'model',
  );
}

/**
 * Runs one embedding request for an exchange: the model must make vectors, then it waits its turn
 * (loading the model if needed) like a generation, and a client that leaves cancels it between inputs.
 */
export async function embed(
  deps: EmbedDeps,
  exchange: Exchange,
  model: ApiModel,
  asked: string,
  request: EmbedRequest,
): Promise<Embedded> {
  checkKind(deps, model, asked);
  const entry = {
    at: exchange.at,
    client: exchange.req.socket.remoteAddress ?? '',
    endpoint: exchange.endpoint,
    model: model.model.id,
  };
  const log = (status: number | 'cancelled', tokens: number) =>
    deps.log.add({
      ...entry,
      status,
      promptTokens: tokens,
      completionTokens: 0,
      tokensPerSecond: 0,
      durationMs: Date.now() - exchange.at,
    });
  try {
    const release = await deps.scheduler.acquire(model.model, exchange.signal);
    const loadMs = Date.now() - exchange.at;
    let result: EmbedResult;
    try {
      if (exchange.signal.aborted) throw new ClientGone();
      result = await deps.engine.embed(request, exchange.signal, model.model.path);
    } finally {
      release();
      deps.afterRun?.(model);
    }
    if (exchange.signal.aborted) throw new ClientGone();
    if ('refused' in result) {
      const { param, message } = result.refused;
      throw new ApiError(400, `${param}: ${message}`, 'invalid_value', param);
    }
    log(
      200,
      result.tokens.reduce((sum, n) => sum + n, 0),
    );
    return { ...result, loadMs };
  } catch (error) {
    const gone = exchange.signal.aborted || error instanceof ClientGone;
    log(gone ? 'cancelled' : toApiError(error).status, 0);
    throw gone ? new ClientGone() : error;
  }
}
