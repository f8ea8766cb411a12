import { z } from 'zod';
import type { ChatResult } from '../../engine-process/protocol';
import {
  authHeaders,
  ReplyClock,
  type ClientOptions,
  type ProviderClient,
  type RemoteChatRequest,
  type RemoteChunkHandler,
  type RemoteModel,
} from './provider-types';
import { clip, errorMessageOf, RemoteError } from './remote-error';
import { defaultLimits, quickLimits, remoteRequest, type RemoteLimits } from './remote-http';
import { SseParser } from './sse-parser';

const positiveInt = z.number().int().positive().nullable().optional().catch(null);

/** /v1/models as OpenAI, vLLM (max_model_len), llama-server (meta.n_ctx_train) and Hearth answer it. */
const modelListSchema = z.object({
  data: z
    .array(
      z
        .object({
          id: z.string().min(1).max(1000),
          owned_by: z.string().max(200).optional().catch(undefined),
          context_length: positiveInt,
          max_model_len: positiveInt,
          max_context_length: positiveInt,
          meta: z.object({ n_ctx_train: positiveInt }).nullable().optional().catch(null),
        })
        .passthrough(),
    )
    .max(10_000),
});

const chunkSchema = z
  .object({
    choices: z
      .array(
        z
          .object({
            delta: z
              .object({
                content: z.string().nullable().optional(),
                // vLLM and llama-server say reasoning_content; newer vLLM and others say reasoning.
                reasoning_content: z.string().nullable().optional(),
                reasoning: z.string().nullable().optional(),
              })
              .passthrough()
              .optional(),
            finish_reason: z.string().nullable().optional(),
          })
          .passthrough(),
      )
      .optional(),
    usage: z
      .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough();

export const toOpenAiModels = (body: unknown): RemoteModel[] => {
  const parsed = modelListSchema.safeParse(body);
  if (!parsed.success) throw new RemoteError('protocol', 'its model list is not in the OpenAI format');
  return parsed.data.data.map((m) => ({
    id: m.id,
    name: m.id,
    contextLength: m.context_length ?? m.max_model_len ?? m.max_context_length ?? m.meta?.n_ctx_train ?? null,
    details: m.owned_by ? clip(m.owned_by, 100) : null,
  }));
};

/** The body of POST /v1/chat/completions for Hearth's sampling. */
export function openAiChatBody(request: RemoteChatRequest): Record<string, unknown> {
  const s = request.sampling;
  return {
    model: request.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    stream_options: { include_usage: true },
    temperature: s.temperature,
    max_tokens: s.maxTokens,
    ...(s.topP !== undefined && { top_p: s.topP }),
    ...(s.seed !== undefined && { seed: s.seed }),
    ...(s.stop.length > 0 && { stop: s.stop }),
    ...(s.presencePenalty !== undefined && { presence_penalty: s.presencePenalty }),
    ...(s.frequencyPenalty !== undefined && { frequency_penalty: s.frequencyPenalty }),
    // Not in OpenAI's API, but vLLM, llama-server and Hearth read them; others ignore them.
    ...(s.topK !== undefined && { top_k: s.topK }),
    ...(s.minP !== undefined && { min_p: s.minP }),
  };
}

/** Folds SSE events of a chat completion stream into a reply; throws on an error event. */
export class OpenAiStreamReader {
  text = '';
  thought = '';
  finish: string | null = null;
  usage: { promptTokens?: number; completionTokens?: number } = {};
  done = false;

  constructor(
    private readonly onChunk: RemoteChunkHandler,
    private readonly clock: ReplyClock,
  ) {}

  event(event: { event: string; data: string }): void {
    if (event.data === '[DONE]') {
      this.done = true;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      throw new RemoteError('protocol', `it sent a malformed event: ${clip(event.data, 120)}`);
    }
    // llama-server's `error:` field carries the bare {code, message, type}.
    const bare = event.event === 'error' ? errorMessageOf({ error: value }) : null;
    const message = errorMessageOf(value) ?? bare;
    if (event.event === 'error' || message !== null)
      throw new RemoteError('status', `it reported an error: ${clip(message ?? event.data)}`);
    const parsed = chunkSchema.safeParse(value);
    if (!parsed.success)
      throw new RemoteError('protocol', `it sent an unexpected event: ${clip(event.data, 120)}`);
    const chunk = parsed.data;
    if (chunk.usage)
      this.usage = {
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
      };
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const thought = choice.delta?.reasoning_content ?? choice.delta?.reasoning;
    if (thought) this.emit(thought, 'thought');
    if (choice.delta?.content) this.emit(choice.delta.content, 'text');
    if (choice.finish_reason) this.finish = choice.finish_reason;
  }

  private emit(text: string, segment: 'text' | 'thought'): void {
    if (segment === 'thought') this.thought += text;
    else this.text += text;
    this.clock.chunk();
    this.onChunk(text, segment);
  }

  result(stopReason?: ChatResult['stopReason']): ChatResult {
    return {
      text: this.text,
      thought: this.thought,
      notice:
        this.finish === 'length'
          ? 'The reply stopped at its length limit (max tokens or the context).'
          : null,
      stopReason: stopReason ?? (this.finish === 'length' ? 'maxTokens' : 'eos'),
      stats: this.clock.stats(this.usage),
    };
  }
}

/** An OpenAI-compatible server: OpenAI, vLLM, SGLang, llama-server, LM Studio, another Hearth. */
export class OpenAiClient implements ProviderClient {
  constructor(private readonly options: ClientOptions) {}

  protected url(path: string): URL {
    return new URL(`${this.options.baseUrl}${path}`);
  }

  protected limits(): Partial<RemoteLimits> | undefined {
    return this.options.limits;
  }

  protected headers(): Record<string, string> {
    return authHeaders(this.options.key);
  }

  async models(signal?: AbortSignal): Promise<RemoteModel[]> {
    const res = await remoteRequest({
      url: this.url('/v1/models'),
      headers: this.headers(),
      signal,
      limits: { ...quickLimits, ...this.options.limits },
    });
    return toOpenAiModels(await res.json());
  }

  /** OpenAI's dialect has no version route: listing the models proves the server answers. */
  async version(signal?: AbortSignal): Promise<string | null> {
    await this.models(signal);
    return null;
  }

  async chat(
    request: RemoteChatRequest,
    onChunk: RemoteChunkHandler,
    signal?: AbortSignal,
  ): Promise<ChatResult> {
    const limits = { ...defaultLimits, ...this.options.limits };
    const clock = new ReplyClock();
    const reader = new OpenAiStreamReader(onChunk, clock);
    try {
      const res = await remoteRequest({
        url: this.url('/v1/chat/completions'),
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify(openAiChatBody(request)),
        signal,
        limits,
      });
      const sse = new SseParser(limits.maxLineBytes);
      for await (const line of res.lines()) {
        const event = sse.line(line);
        if (event) reader.event(event);
        if (reader.done) break;
      }
      const last = reader.done ? null : sse.end();
      if (last) reader.event(last);
      if (!reader.done && reader.finish === null)
        throw new RemoteError('unreachable', 'the answer ended before it was complete');
      return reader.result();
    } catch (error) {
      if (signal?.aborted) return reader.result('abort');
      throw error;
    }
  }
}
