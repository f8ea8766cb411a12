/**
 * The one message protocol between the engine host (app) and the engine process, used over
 * Electron's utilityProcess port and Node's fork IPC alike. Plain JSON-safe objects only.
 */
export interface LoadRequest {
  modelPath: string;
  /** Layers to offload to the GPU; 'auto' lets node-llama-cpp decide (the estimator will pick later). */
  gpuLayers: number | 'auto';
  contextSize: number;
  threads: number;
}

export interface LoadOptions {
  /** Sequences in the context: how many replies can be generated at once (each gets contextSize). */
  parallel?: number;
  flashAttention?: boolean;
  batchSize?: number;
  kvCacheType?: 'f16' | 'q8_0' | 'q4_0';
  useMmap?: boolean;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Sampling {
  temperature: number;
  topP?: number;
  topK?: number;
  minP?: number;
  repeatPenalty?: number;
  seed?: number;
  maxTokens: number;
  stop: string[];
  /** A reasoning model stops thinking after this many tokens and answers. */
  maxThoughtTokens?: number;
}

export interface ChatRequest {
  messages: ChatMessage[];
  sampling: Sampling;
  /** Constrain the reply to this JSON schema (node-llama-cpp grammar). */
  jsonSchema?: unknown;
  /** Benchmarks: keep generating past end-of-turn so runs have a fixed length. */
  ignoreEos?: boolean;
}

export interface ReplyStats {
  timeToFirstTokenMs: number;
  promptTokens: number;
  promptTokensPerSecond: number;
  generatedTokens: number;
  generationTokensPerSecond: number;
  totalMs: number;
}

export interface ChatResult {
  text: string;
  thought: string;
  /**
   * Why the reply is not the whole story, never a silent cut: older messages left out to fit the
   * context, a reply stopped at its end, text the model wrote that could not be shown, or no text.
   */
  notice: string | null;
  stopReason: 'eos' | 'maxTokens' | 'abort' | 'stopString';
  stats: ReplyStats;
}

export type ChunkSegment = 'text' | 'thought';

export type HostToEngine =
  | ({ type: 'load'; id: number } & LoadRequest & LoadOptions)
  | ({ type: 'chat'; id: number } & ChatRequest)
  | { type: 'abort'; id: number; target: number }
  | { type: 'unload'; id: number }
  | { type: 'shutdown' };

export interface LoadResult {
  modelPath: string;
  contextSize: number;
  gpuLayers: number;
  loadMs: number;
}

export type EngineToHost =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; code: string; message: string }
  | { type: 'chunk'; id: number; text: string; segment: ChunkSegment }
  | { type: 'progress'; id: number; progress: number };

export type RequestType = Exclude<HostToEngine['type'], 'abort' | 'shutdown'>;
