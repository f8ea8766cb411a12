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

/** A tool the client offers; the client runs it, the engine only writes the call. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON schema of the arguments (an object schema). */
  parameters?: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, as the model wrote them. */
  arguments: string;
}

/** auto: the model decides; none: no calls; required: some call; {name}: that call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** An assistant turn's calls, from an earlier round. */
  toolCalls?: ToolCall[];
  /** A tool message: the call it answers. */
  toolCallId?: string;
}

export interface Sampling {
  temperature: number;
  topP?: number;
  topK?: number;
  minP?: number;
  repeatPenalty?: number;
  /** OpenAI-style penalties (0..1 here): for tokens already present, and per occurrence. */
  presencePenalty?: number;
  frequencyPenalty?: number;
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
  /** Continue this text as it is, without the chat template (the messages are then ignored). */
  rawPrompt?: string;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** false: at most one call per reply. */
  parallelToolCalls?: boolean;
}

export interface ReplyStats {
  timeToFirstTokenMs: number;
  promptTokens: number;
  /** The whole prompt as the model saw it, including what was reused from the previous reply. */
  contextTokens?: number;
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
  stopReason: 'eos' | 'maxTokens' | 'abort' | 'stopString' | 'toolCalls';
  /** The stop string that ended the reply (stopReason 'stopString'), when the engine knows it. */
  stopSequence?: string;
  /** The calls the model made (stopReason 'toolCalls'); the client runs them. */
  toolCalls?: ToolCall[];
  stats: ReplyStats;
}

/** toolCall: `text` is a piece of the arguments of the call `call` names. */
export type ChunkSegment = 'text' | 'thought' | 'toolCall';

/** Which call a toolCall chunk belongs to: calls are numbered from 0 in the order they start. */
export interface ToolCallRef {
  index: number;
  id: string;
  name: string;
}

export type ChunkHandler = (text: string, segment: ChunkSegment, call?: ToolCallRef) => void;

/**
 * A conversation to count without generating: rendered with the model's chat template and the
 * tools documented in it, exactly as a chat request would be (the answer is a number of tokens).
 */
export type CountRequest = Pick<ChatRequest, 'messages' | 'tools'>;

/** Texts (or token lists) to turn into vectors, one per input, in order. */
export interface EmbedRequest {
  inputs: Array<string | number[]>;
  /** Cut inputs longer than the context (Ollama's default); otherwise they are refused. */
  truncate: boolean;
  /** Unit length (OpenAI, Ollama's /api/embed), or as the model makes them (Ollama's /api/embeddings). */
  normalize: boolean;
  /** Refused unless it is the model's vector size (no model here shortens its vectors). */
  dimensions?: number;
}

export type EmbedResult =
  | {
      vectors: number[][];
      /** Tokens each input took, special tokens included (after any truncation). */
      tokens: number[];
      /** The model's vector size. */
      dimensions: number;
      totalMs: number;
    }
  /** A request the model cannot serve as asked: the API answers 400 naming the field. */
  | { refused: { param: string; message: string } };

export type HostToEngine =
  | ({ type: 'load'; id: number } & LoadRequest & LoadOptions)
  | ({ type: 'chat'; id: number } & ChatRequest)
  | ({ type: 'embed'; id: number } & EmbedRequest)
  | ({ type: 'countTokens'; id: number } & CountRequest)
  | { type: 'abort'; id: number; target: number }
  | { type: 'unload'; id: number }
  | { type: 'stats'; id: number }
  | { type: 'shutdown' };

export interface LoadResult {
  modelPath: string;
  contextSize: number;
  gpuLayers: number;
  loadMs: number;
  /** Layers in the model (gpuLayers of them on the GPU). */
  totalLayers?: number;
  /** The buffers llama.cpp reported allocating for this load (weights, KV cache, compute, output). */
  buffers?: { name: string; kind: 'model' | 'KV' | 'compute' | 'output'; bytes: number }[];
}

/** What the resource monitor asks the engine process for, once per interval while someone watches. */
export interface EngineStats {
  /** process.cpuUsage() of the engine process, user + system, in microseconds. */
  cpuMicros: number;
  rssBytes: number;
  contextSize: number | null;
  /** Tokens held in the fullest sequence's context (its next token index). */
  contextTokens: number | null;
  /** Replies being generated now. */
  generating: number;
  /** Generation speed of those replies over their last tokens, summed. */
  tokensPerSecond: number;
  gpuLayers: number | null;
  totalLayers: number | null;
  requestedGpuLayers: number | 'auto' | null;
  /** gpu: layers can go to a GPU; none: no GPU backend here; off: held on the CPU on purpose. */
  offload: 'gpu' | 'none' | 'off';
}

export type EngineToHost =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; code: string; message: string }
  | { type: 'chunk'; id: number; text: string; segment: ChunkSegment; call?: ToolCallRef }
  | { type: 'progress'; id: number; progress: number };

export type RequestType = Exclude<HostToEngine['type'], 'abort' | 'shutdown'>;
