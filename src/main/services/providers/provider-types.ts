import type { ChatMessage, ChatResult, Sampling } from '../../engine-process/protocol';
import type { RemoteLimits } from './remote-http';

/** A model as a remote names it. */
export interface RemoteModel {
  id: string;
  name: string;
  contextLength: number | null;
  details: string | null;
}

export interface RemoteChatRequest {
  /** The remote's own name for the model. */
  model: string;
  messages: Pick<ChatMessage, 'role' | 'content'>[];
  sampling: Sampling;
}

/** Text or thinking, as it arrives. */
export type RemoteChunkHandler = (text: string, segment: 'text' | 'thought') => void;

/** One dialect spoken to one server: its models, its version, a chat that streams and stops. */
export interface ProviderClient {
  models(signal?: AbortSignal): Promise<RemoteModel[]>;
  /** What the server says it is, or null when its dialect has no version route; throws when unreachable. */
  version(signal?: AbortSignal): Promise<string | null>;
  /** Streams a reply; an abort through `signal` ends it with stopReason 'abort', keeping what came. */
  chat(request: RemoteChatRequest, onChunk: RemoteChunkHandler, signal?: AbortSignal): Promise<ChatResult>;
}

export interface ClientOptions {
  /** The server's base URL, normalized (no trailing slash, no /v1 or /api). */
  baseUrl: string;
  key?: string | null;
  /** Tests shrink the bounds. */
  limits?: Partial<RemoteLimits>;
}

/** Measures a reply from its chunks when the server gives no usage. */
export class ReplyClock {
  private readonly started = performance.now();
  private firstAt: number | null = null;
  chunks = 0;

  chunk(): void {
    this.chunks++;
    this.firstAt ??= performance.now();
  }

  stats(usage: { promptTokens?: number; completionTokens?: number } = {}): ChatResult['stats'] {
    const end = performance.now();
    const ttft = (this.firstAt ?? end) - this.started;
    const genMs = end - (this.firstAt ?? end);
    // Without usage, one streamed chunk is about one token (what vLLM, llama.cpp and Ollama send).
    // A remote's numbers are checked like any input: counts are whole and not negative.
    const count = (n: number | undefined): number | undefined =>
      n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    const generated = count(usage.completionTokens) ?? this.chunks;
    const prompt = count(usage.promptTokens) ?? 0;
    return {
      timeToFirstTokenMs: Math.round(ttft),
      promptTokens: prompt,
      promptTokensPerSecond: ttft > 0 && prompt > 0 ? (prompt * 1000) / ttft : 0,
      generatedTokens: generated,
      generationTokensPerSecond: genMs > 0 && generated > 1 ? ((generated - 1) * 1000) / genMs : 0,
      totalMs: Math.round(end - this.started),
    };
  }
}

export const authHeaders = (key: string | null | undefined): Record<string, string> =>
  key ? { Authorization: `Bearer ${key}` } : {};
