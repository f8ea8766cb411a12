import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  ChatRequest,
  ChatResult,
  ChunkHandler,
  CountRequest,
  EmbedRequest,
  EmbedResult,
} from '../engine-process/protocol';
import { ApiError, ClientGone, toApiError } from './api-error';
import type { ApiModel } from './model-names';
import type { RequestLog } from './request-log';
import type { Scheduler } from './scheduler';

export interface ChatEngine {
  chat(
    request: ChatRequest,
    onChunk?: ChunkHandler,
    signal?: AbortSignal,
    modelPath?: string,
  ): Promise<ChatResult>;
  embed(request: EmbedRequest, signal?: AbortSignal, modelPath?: string): Promise<EmbedResult>;
  /** The tokens a conversation takes with a loaded model's chat template (nothing generated). */
  countTokens(request: CountRequest, modelPath: string): Promise<number>;
}

/** One HTTP exchange: aborted when the client leaves before the answer is complete. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  signal: AbortSignal;
  at: number;
  endpoint: string;
}

export function openExchange(req: IncomingMessage, res: ServerResponse, endpoint: string): Exchange {
  const controller = new AbortController();
  // 'close' before the end of the answer is the client leaving (or its connection dropping).
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return { req, res, signal: controller.signal, at: Date.now(), endpoint };
}

export interface GenerateDeps {
  scheduler: Scheduler;
  engine: ChatEngine;
  log: RequestLog;
  /** After each generation: Ollama's keep_alive, and the like. */
  afterRun?: (model: ApiModel) => void;
}

/**
 * Runs one generation for an exchange: waits its turn (loading the model if needed), then the
 * engine, stopping both when the client leaves. onStart fires once it holds a slot, which is when
 * a streaming answer sends its headers.
 */
export async function generate(
  deps: GenerateDeps,
  exchange: Exchange,
  model: ApiModel,
  request: ChatRequest,
  handlers: { onStart?: () => void | Promise<void>; onChunk?: ChunkHandler } = {},
): Promise<ChatResult> {
  const entry = {
    at: exchange.at,
    client: exchange.req.socket.remoteAddress ?? '',
    endpoint: exchange.endpoint,
    model: model.model.id,
  };
  // Refused before anything loads: an embedding model has no way to write a reply.
  if (model.model.embedding)
    throw new ApiError(
      400,
      `${model.alias} is an embedding model: it makes vectors (POST /v1/embeddings, /api/embed), not replies`,
      'model_not_chat',
      'model',
    );
  let result: ChatResult | undefined;
  try {
    const release = await deps.scheduler.acquire(model.model, exchange.signal);
    try {
      // Gone while it waited: the engine never hears of it.
      if (exchange.signal.aborted) throw new ClientGone();
      // An async onStart (Anthropic's message_start needs the prompt's token count) runs first.
      await handlers.onStart?.();
      if (exchange.signal.aborted) throw new ClientGone();
      result = await deps.engine.chat(request, handlers.onChunk, exchange.signal, model.model.path);
    } finally {
      release();
      deps.afterRun?.(model);
    }
    if (exchange.signal.aborted) throw new ClientGone();
    deps.log.add({
      ...entry,
      status: 200,
      promptTokens: result.stats.contextTokens ?? result.stats.promptTokens,
      completionTokens: result.stats.generatedTokens,
      tokensPerSecond: result.stats.generationTokensPerSecond,
      durationMs: Date.now() - exchange.at,
    });
    return result;
  } catch (error) {
    const gone = exchange.signal.aborted || error instanceof ClientGone;
    deps.log.add({
      ...entry,
      status: gone ? 'cancelled' : toApiError(error).status,
      promptTokens: 0,
      completionTokens: 0,
      tokensPerSecond: 0,
      durationMs: Date.now() - exchange.at,
    });
    throw gone ? new ClientGone() : error;
  }
}
