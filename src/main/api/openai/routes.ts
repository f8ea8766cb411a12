import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ChatResult, ChunkHandler } from '../../engine-process/protocol';
import { readJson } from '../api-body';
import { ClientGone, toApiError, type ApiError } from '../api-error';
import { generate, type Exchange, type GenerateDeps } from '../generation';
import { sendError, sendJson, StreamOut } from '../http-out';
import type { ModelCatalog } from '../model-catalog';
import { assertToolFormat } from '../tool-support';
import { chatCompletionSchema, completionSchema } from './schemas';
import { toolCallDelta, toolCallOut } from './tool-calls-out';
import { chatRequestFrom, completionRequestFrom, finishReason, usageOf } from './translate';

type ChunkHandlerOf<T> = (...args: Parameters<ChunkHandler>) => T;

export interface OpenAiDeps extends GenerateDeps {
  catalog: ModelCatalog;
  maxBodyBytes: number;
  /** system_fingerprint: which Hearth answered. */
  fingerprint: string;
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

const errorBody = (error: ApiError) => ({
  error: { message: error.message, type: errorType(error.status), param: error.param, code: error.code },
});

/** OpenAI's error shape: {error: {message, type, param, code}}, with Retry-After when it applies. */
export function writeOpenAiError(
  res: ServerResponse,
  error: ApiError,
  headers: Record<string, string>,
): void {
  sendError(res, error.status, errorBody(error), error, headers);
}

const nowS = (): number => Math.floor(Date.now() / 1000);

export async function listModels(
  deps: OpenAiDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const models = await deps.catalog.all();
  sendJson(
    ex.res,
    200,
    {
      object: 'list',
      data: models.map(({ model, alias }) => ({
        id: model.id,
        object: 'model',
        created: Math.floor(model.modifiedAt / 1000),
        owned_by: model.repo?.split('/')[0] ?? model.source,
        // What editors read to size their prompts (Zed, Continue, LM Studio's and vLLM's names).
        context_length: model.contextLength,
        max_context_length: model.contextLength,
        // An embedding model only makes vectors (/v1/embeddings).
        capabilities: model.embedding
          ? ['embedding']
          : model.hasChatTemplate
            ? ['completion', 'chat', ...(model.toolCalls ? ['tools'] : [])]
            : ['completion'],
        aliases: [alias],
      })),
    },
    headers,
  );
}

/** Runs a generation and writes it whole or as SSE chunks shaped by `chunk`. */
async function answer(
  deps: OpenAiDeps,
  ex: Exchange,
  headers: Record<string, string>,
  options: {
    stream: boolean;
    run: (onStart: () => void, onChunk: ChunkHandler) => Promise<ChatResult>;
    /** The event sent as soon as the reply holds a slot. */
    first?: unknown;
    chunk: ChunkHandlerOf<unknown>;
    /** The closing events (finish reason, then usage when asked for). */
    finish: (result: ChatResult) => unknown[];
    whole: (result: ChatResult) => unknown;
  },
): Promise<void> {
  if (!options.stream) {
    const result = await options.run(
      () => {},
      () => {},
    );
    sendJson(ex.res, 200, options.whole(result), headers);
    return;
  }
  const out = new StreamOut(ex.res, 'sse');
  try {
    const result = await options.run(
      () => {
        out.start(headers);
        if (options.first !== undefined) out.send(options.first);
      },
      (text, segment, call) => out.send(options.chunk(text, segment, call)),
    );
    for (const event of options.finish(result)) out.send(event);
    out.done();
  } catch (error) {
    if (!out.started || error instanceof ClientGone) throw error;
    // Headers are gone: the error travels as an event, which OpenAI's clients raise.
    out.send(errorBody(toApiError(error)));
  } finally {
    if (out.started) out.end();
  }
}

export async function chatCompletions(
  deps: OpenAiDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, chatCompletionSchema, deps.maxBodyBytes);
  const request = chatRequestFrom(body);
  const model = await deps.catalog.resolve(body.model);
  if (request.tools) assertToolFormat(model.model, 'tools');
  const base = {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'chat.completion.chunk',
    created: nowS(),
    model: body.model,
    system_fingerprint: deps.fingerprint,
  };
  const includeUsage = body.stream_options?.include_usage === true;
  // With include_usage every chunk says usage: null, and one more chunk carries the numbers.
  const usageNull = includeUsage ? { usage: null } : {};
  /** Calls whose first delta (id, type, name) went out. */
  const started = new Set<number>();
  const choice = (delta: object, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usageNull,
  });
  await answer(deps, ex, headers, {
    stream: body.stream === true,
    run: (onStart, onChunk) => generate(deps, ex, model, request, { onStart, onChunk }),
    first: choice({ role: 'assistant', content: '' }, null),
    chunk: (text, segment, call) =>
      choice(
        segment === 'toolCall' && call
          ? { tool_calls: [toolCallDelta(text, call, started)] }
          : segment === 'thought'
            ? { reasoning_content: text }
            : { content: text },
        null,
      ),
    finish: (result) => [
      choice({}, finishReason(result)),
      ...(includeUsage ? [{ ...base, choices: [], usage: usageOf(result) }] : []),
    ],
    whole: (result) => ({
      ...base,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            // OpenAI's content is null on a reply that is only calls.
            content: result.toolCalls && !result.text ? null : result.text,
            ...(result.thought ? { reasoning_content: result.thought } : {}),
            ...(result.toolCalls ? { tool_calls: result.toolCalls.map(toolCallOut) } : {}),
          },
          logprobs: null,
          finish_reason: finishReason(result),
        },
      ],
      usage: usageOf(result),
    }),
  });
}

export async function completions(
  deps: OpenAiDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, completionSchema, deps.maxBodyBytes);
  const request = completionRequestFrom(body);
  const model = await deps.catalog.resolve(body.model);
  const base = {
    id: `cmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'text_completion',
    created: nowS(),
    model: body.model,
    system_fingerprint: deps.fingerprint,
  };
  const includeUsage = body.stream_options?.include_usage === true;
  const usageNull = includeUsage ? { usage: null } : {};
  const choice = (text: string, finish: string | null) => ({
    ...base,
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
    ...usageNull,
  });
  await answer(deps, ex, headers, {
    stream: body.stream === true,
    run: (onStart, onChunk) => generate(deps, ex, model, request, { onStart, onChunk }),
    chunk: (text) => choice(text, null),
    finish: (result) => [
      choice('', finishReason(result)),
      ...(includeUsage ? [{ ...base, choices: [], usage: usageOf(result) }] : []),
    ],
    whole: (result) => ({
      ...base,
      choices: [{ text: result.text, index: 0, logprobs: null, finish_reason: finishReason(result) }],
      usage: usageOf(result),
    }),
  });
}
