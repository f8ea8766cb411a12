import { z } from 'zod';
import type { ChatResult } from '../../engine-process/protocol';
import { versionSchema } from './hearth-client';
import {
  authHeaders,
  ReplyClock,
  type ClientOptions,
  type ProviderClient,
  type RemoteChatRequest,
  type RemoteChunkHandler,
  type RemoteModel,
} from './provider-types';
import { clip, RemoteError } from './remote-error';
import { defaultLimits, quickLimits, remoteRequest } from './remote-http';

const short = z.string().max(200).optional().catch(undefined);

const tagsSchema = z.object({
  models: z
    .array(
      z.object({
        name: z.string().min(1).max(1000),
        model: z.string().max(1000).optional(),
        details: z
          .object({ family: short, parameter_size: short, quantization_level: short, format: short })
          .partial()
          .nullable()
          .optional()
          .catch(null),
      }),
    )
    .max(10_000),
});

const showSchema = z.object({
  model_info: z.record(z.string(), z.unknown()).nullable().optional().catch(null),
});

const chatLineSchema = z
  .object({
    message: z
      .object({ content: z.string().optional(), thinking: z.string().optional() })
      .passthrough()
      .optional(),
    done: z.boolean().optional(),
    done_reason: z.string().optional(),
    prompt_eval_count: z.number().optional(),
    eval_count: z.number().optional(),
    error: z.string().optional(),
  })
  .passthrough();

/** The context length /api/show reports: model_info["<architecture>.context_length"]. */
export function contextLengthOf(modelInfo: Record<string, unknown> | null | undefined): number | null {
  if (!modelInfo) return null;
  const arch = modelInfo['general.architecture'];
  const value = typeof arch === 'string' ? modelInfo[`${arch}.context_length`] : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/** Ollama's Sampling names: options.num_predict and friends. */
export function ollamaChatBody(request: RemoteChatRequest): Record<string, unknown> {
  const s = request.sampling;
  const options: Record<string, unknown> = { temperature: s.temperature, num_predict: s.maxTokens };
  if (s.topP !== undefined) options.top_p = s.topP;
  if (s.topK !== undefined) options.top_k = s.topK;
  if (s.minP !== undefined) options.min_p = s.minP;
  if (s.seed !== undefined) options.seed = s.seed;
  if (s.repeatPenalty !== undefined) options.repeat_penalty = s.repeatPenalty;
  if (s.presencePenalty !== undefined) options.presence_penalty = s.presencePenalty;
  if (s.frequencyPenalty !== undefined) options.frequency_penalty = s.frequencyPenalty;
  if (s.stop.length > 0) options.stop = s.stop;
  return {
    model: request.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    options,
  };
}

/** Folds /api/chat's NDJSON lines into a reply; throws on an error line or a malformed one. */
export class OllamaStreamReader {
  text = '';
  thought = '';
  done = false;
  private reason: string | undefined;
  private usage: { promptTokens?: number; completionTokens?: number } = {};

  constructor(
    private readonly onChunk: RemoteChunkHandler,
    private readonly clock: ReplyClock,
  ) {}

  line(line: string): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new RemoteError('protocol', `it sent a malformed line: ${clip(line, 120)}`);
    }
    const parsed = chatLineSchema.safeParse(value);
    if (!parsed.success) throw new RemoteError('protocol', `it sent an unexpected line: ${clip(line, 120)}`);
    const chunk = parsed.data;
    if (chunk.error !== undefined)
      throw new RemoteError('status', `it reported an error: ${clip(chunk.error)}`);
    if (chunk.message?.thinking) this.emit(chunk.message.thinking, 'thought');
    if (chunk.message?.content) this.emit(chunk.message.content, 'text');
    if (chunk.done) {
      this.done = true;
      this.reason = chunk.done_reason;
      this.usage = { promptTokens: chunk.prompt_eval_count, completionTokens: chunk.eval_count };
    }
  }

  private emit(text: string, segment: 'text' | 'thought'): void {
    if (segment === 'thought') this.thought += text;
    else this.text += text;
    this.clock.chunk();
    this.onChunk(text, segment);
  }

  result(stopReason?: ChatResult['stopReason']): ChatResult {
    const length = this.reason === 'length';
    return {
      text: this.text,
      thought: this.thought,
      notice: length ? 'The reply stopped at its length limit (num_predict or the context).' : null,
      stopReason: stopReason ?? (length ? 'maxTokens' : 'eos'),
      stats: this.clock.stats(this.usage),
    };
  }
}

/** An Ollama server: /api/tags and /api/show for models, /api/chat (NDJSON) for replies. */
export class OllamaClient implements ProviderClient {
  constructor(private readonly options: ClientOptions) {}

  private url(path: string): URL {
    return new URL(`${this.options.baseUrl}${path}`);
  }

  private async json(path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const res = await remoteRequest({
      url: this.url(path),
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: authHeaders(this.options.key),
      signal,
      limits: { ...quickLimits, ...this.options.limits },
    });
    return res.json();
  }

  async models(signal?: AbortSignal): Promise<RemoteModel[]> {
    const parsed = tagsSchema.safeParse(await this.json('/api/tags', undefined, signal));
    if (!parsed.success) throw new RemoteError('protocol', 'its model list is not in the Ollama format');
    const models = parsed.data.models;
    // The context length is in /api/show: asked for the first models only, a few at a time.
    const contexts = new Map<string, number | null>();
    const queue = models.slice(0, 64).map((m) => m.name);
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        try {
          const show = showSchema.safeParse(await this.json('/api/show', { model: name }, signal));
          contexts.set(name, show.success ? contextLengthOf(show.data.model_info) : null);
        } catch {
          contexts.set(name, null);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return models.map((m) => {
      const d = m.details;
      const details = [d?.family, d?.parameter_size, d?.quantization_level].filter(Boolean).join(' · ');
      return {
        id: m.name,
        name: m.name,
        contextLength: contexts.get(m.name) ?? null,
        details: details || null,
      };
    });
  }

  async version(signal?: AbortSignal): Promise<string | null> {
    const parsed = versionSchema.safeParse(await this.json('/api/version', undefined, signal));
    return parsed.success && parsed.data.version ? `Ollama ${parsed.data.version}` : null;
  }

  async chat(
    request: RemoteChatRequest,
    onChunk: RemoteChunkHandler,
    signal?: AbortSignal,
  ): Promise<ChatResult> {
    const limits = { ...defaultLimits, ...this.options.limits };
    const reader = new OllamaStreamReader(onChunk, new ReplyClock());
    try {
      const res = await remoteRequest({
        url: this.url('/api/chat'),
        method: 'POST',
        headers: authHeaders(this.options.key),
        body: JSON.stringify(ollamaChatBody(request)),
        signal,
        limits,
      });
      for await (const line of res.lines()) {
        reader.line(line);
        if (reader.done) break;
      }
      if (!reader.done) throw new RemoteError('unreachable', 'the answer ended before it was complete');
      return reader.result();
    } catch (error) {
      if (signal?.aborted) return reader.result('abort');
      throw error;
    }
  }
}
