import type { ChatMessage, ChatRequest, ChatResult } from '../../engine-process/protocol';
import { readJson } from '../api-body';
import { ApiError, ClientGone, toApiError } from '../api-error';
import { generate, type Exchange, type GenerateDeps } from '../generation';
import { sendJson, StreamOut } from '../http-out';
import type { KeepAlive } from '../keep-alive';
import type { ModelCatalog } from '../model-catalog';
import type { ApiModel } from '../model-names';
import { assertToolFormat } from '../tool-support';
import { chatSchema, generateSchema } from './schemas';
import { ollamaMessagesFrom, ollamaToolsFrom, ToolCallLines, type OllamaToolCall } from './tools';
import { doneReason, durations, jsonSchemaFrom, keepAliveMs, samplingFromOptions } from './translate';

export interface OllamaGenerateDeps extends GenerateDeps {
  catalog: ModelCatalog;
  keepAlive: KeepAlive;
  maxBodyBytes: number;
}

const createdAt = (): string => new Date().toISOString();

/**
 * A request with nothing to generate loads the model (Ollama's preload), or with keep_alive 0
 * unloads it; the answer is one done line saying which.
 */
async function loadOrUnload(
  deps: OllamaGenerateDeps,
  ex: Exchange,
  model: ApiModel,
  keep: number | undefined,
  shape: (reason: string) => object,
  headers: Record<string, string>,
): Promise<void> {
  if (keep === 0) {
    await deps.keepAlive.unload(model.model.path);
    return sendJson(ex.res, 200, shape('unload'), headers);
  }
  const release = await deps.scheduler.acquire(model.model, ex.signal);
  release();
  deps.keepAlive.set(model.model.path, keep);
  sendJson(ex.res, 200, shape('load'), headers);
}

/** Runs the generation, then writes one JSON answer or NDJSON lines, each shaped by `line`. */
async function run(
  deps: OllamaGenerateDeps,
  ex: Exchange,
  model: ApiModel,
  request: ChatRequest,
  options: {
    stream: boolean;
    keep: number | undefined;
    headers: Record<string, string>;
    line: (text: string, thought: string, done: object | null, calls?: OllamaToolCall[]) => object;
  },
): Promise<void> {
  const out = new StreamOut(ex.res, 'ndjson');
  let startedAt = 0;
  const calls = new ToolCallLines();
  const finalLine = (result: ChatResult) =>
    options.line(
      options.stream ? '' : result.text,
      options.stream ? '' : result.thought,
      { done_reason: doneReason(result), ...durations(result, ex.at, startedAt - ex.at) },
      calls.rest(result.toolCalls),
    );
  try {
    const result = await generate(deps, ex, model, request, {
      onStart: () => {
        startedAt = Date.now();
        if (options.stream) out.start(options.headers);
      },
      onChunk: options.stream
        ? (text, segment, call) => {
            if (segment !== 'toolCall')
              return out.send(
                options.line(segment === 'text' ? text : '', segment === 'thought' ? text : '', null),
              );
            // Each call goes out whole, as soon as its arguments are complete.
            const done = call && calls.piece(text, call);
            if (done) out.send(options.line('', '', null, [done]));
          }
        : undefined,
    });
    if (options.stream) out.send(finalLine(result));
    else sendJson(ex.res, 200, finalLine(result), options.headers);
  } catch (error) {
    if (!out.started || error instanceof ClientGone) throw error;
    // Headers are gone: Ollama's clients read an error line and raise it.
    out.send({ error: toApiError(error).message });
  } finally {
    if (out.started) out.end();
    deps.keepAlive.set(model.model.path, options.keep);
  }
}

export async function ollamaChat(
  deps: OllamaGenerateDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, chatSchema, deps.maxBodyBytes);
  const keep = keepAliveMs(body.keep_alive);
  const messages: ChatMessage[] = ollamaMessagesFrom(body.messages ?? []);
  const tools = ollamaToolsFrom(body);
  const jsonSchema = jsonSchemaFrom(body.format);
  if (tools && jsonSchema)
    throw new ApiError(400, 'format: a JSON reply cannot be combined with tools', 'invalid_value', 'format');
  const model = await deps.catalog.resolve(body.model);
  if (tools) assertToolFormat(model.model, 'tools');
  const base = () => ({ model: body.model, created_at: createdAt() });
  if (messages.length === 0)
    return loadOrUnload(
      deps,
      ex,
      model,
      keep,
      (reason) => ({
        ...base(),
        message: { role: 'assistant', content: '' },
        done_reason: reason,
        done: true,
      }),
      headers,
    );
  const last = messages.at(-1)?.role;
  // A tool result is answered by the model as a user message is.
  if (last !== 'user' && last !== 'tool')
    throw new ApiError(400, 'messages: the last message must be from the user or a tool', 'invalid_value');
  // Ollama has no tool_choice: the model decides.
  const request: ChatRequest = {
    messages,
    sampling: samplingFromOptions(body.options),
    jsonSchema,
    ...(tools ? { tools, toolChoice: 'auto' as const } : {}),
  };
  await run(deps, ex, model, request, {
    stream: body.stream !== false,
    keep,
    headers,
    line: (text, thought, done, calls) => ({
      ...base(),
      message: {
        role: 'assistant',
        content: text,
        ...(thought ? { thinking: thought } : {}),
        ...(calls && calls.length > 0 ? { tool_calls: calls } : {}),
      },
      ...(done ?? {}),
      done: done !== null,
    }),
  });
}

export async function ollamaGenerate(
  deps: OllamaGenerateDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, generateSchema, deps.maxBodyBytes);
  const keep = keepAliveMs(body.keep_alive);
  const model = await deps.catalog.resolve(body.model);
  const base = () => ({ model: body.model, created_at: createdAt() });
  if (!body.prompt)
    return loadOrUnload(
      deps,
      ex,
      model,
      keep,
      (reason) => ({ ...base(), response: '', done_reason: reason, done: true }),
      headers,
    );
  const sampling = samplingFromOptions(body.options);
  const jsonSchema = jsonSchemaFrom(body.format);
  const request: ChatRequest = body.raw
    ? { messages: [], rawPrompt: body.prompt, sampling, jsonSchema }
    : {
        messages: [
          ...(body.system ? [{ role: 'system' as const, content: body.system }] : []),
          { role: 'user', content: body.prompt },
        ],
        sampling,
        jsonSchema,
      };
  await run(deps, ex, model, request, {
    stream: body.stream !== false,
    keep,
    headers,
    line: (text, thought, done) => ({
      ...base(),
      response: text,
      ...(thought ? { thinking: thought } : {}),
      ...(done ?? {}),
      done: done !== null,
    }),
  });
}
