import {
  getLlama,
  LlamaLogLevel,
  TokenBias,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp';
import { BufferLog } from './buffer-log';
import { chatResult } from './chat-result';
import { chatWrapperFor } from './chat-wrapper';
import { fitToContext, fitToolChat } from './context-fit';
import { EmbeddingRunner, embeddingOnly } from './embeddings';
import { LiveTokens } from './live-tokens';
import { mendJsonGrammar } from './grammar-mends';
import { guardFirstLogitRead } from './logit-read-guard';
import { completeRaw } from './raw-completion';
import { samplingOptions } from './sampling-penalty';
import { SequencePool } from './sequence-pool';
import { sessionReply } from './session-reply';
import { runToolChat, type ReplyOptions } from './tool-chat';
import { countRequestTokens } from './token-count';
import { usesTools } from './tool-history';
import type {
  ChatRequest,
  ChatResult,
  ChunkHandler,
  ChunkSegment,
  CountRequest,
  EmbedRequest,
  EmbedResult,
  EngineStats,
  LoadOptions,
  LoadRequest,
  LoadResult,
} from './protocol';

export type GpuSetting = 'auto' | 'cuda' | 'vulkan' | 'metal' | false;

export function parseGpuSetting(value: string | undefined): GpuSetting {
  if (value === 'false' || value === 'cpu') return false;
  if (value === 'cuda' || value === 'vulkan' || value === 'metal') return value;
  return 'auto';
}

const kvTypes = { f16: 'F16', q8_0: 'Q8_0', q4_0: 'Q4_0' } as const;

/** node-llama-cpp lives here only: one model, one context with N sequences, replies queued for a free one. */
export class LlamaEngine {
  private llama: Llama | undefined;
  private model: LlamaModel | undefined;
  private context: LlamaContext | undefined;
  private chatWrapper: ChatWrapper | undefined;
  private readonly sequences = new SequencePool();
  /** For the resource monitor: every sequence (context fill), the placement, the live speed. */
  private allSequences: LlamaContextSequence[] = [];
  private placement: Pick<EngineStats, 'gpuLayers' | 'totalLayers' | 'requestedGpuLayers'> | undefined;
  private readonly live = new LiveTokens();
  private readonly embeddings = new EmbeddingRunner();
  /** llama.cpp's report of each load's buffers, for the app's measurements. */
  private readonly buffers = new BufferLog();
  /** The loaded model only makes vectors (bert and the like): it has no chat context. */
  private vectorsOnly = false;

  constructor(private readonly gpu: GpuSetting) {}

  private async runtime(): Promise<Llama> {
    // Before the first grammar is written (grammar-mends.ts says what and why).
    if (!this.llama) await mendJsonGrammar();
    // build: 'never': the prebuilt binaries ship in npm packages; never compile or download at run time.
    // Info level only so the buffer sizes reach BufferLog; it drops every other line but errors.
    this.llama ??= await getLlama({
      gpu: this.gpu,
      build: 'never',
      logLevel: LlamaLogLevel.info,
      logger: this.buffers.logger,
    });
    return this.llama;
  }

  async load(
    request: LoadRequest & LoadOptions,
    onProgress: (progress: number) => void,
    signal?: AbortSignal,
  ): Promise<LoadResult> {
    const started = Date.now();
    await this.unload();
    const llama = await this.runtime();
    this.buffers.start();
    const model = await llama.loadModel({
      modelPath: request.modelPath,
      gpuLayers: request.gpuLayers,
      useMmap: request.useMmap,
      onLoadProgress: onProgress,
      loadSignal: signal,
    });
    this.embeddings.attach(model, request);
    if (embeddingOnly(model)) return this.loadForEmbeddings(model, request, started);
    const parallel = Math.max(1, request.parallel ?? 1);
    try {
      this.context = await model.createContext({
        contextSize: request.contextSize,
        threads: request.threads,
        sequences: parallel,
        batchSize: request.batchSize,
        flashAttention: request.flashAttention,
        // llama.cpp's names for the KV cache types; quantized caches need flash attention.
        experimentalKvCacheKeyType: request.kvCacheType ? kvTypes[request.kvCacheType] : undefined,
        experimentalKvCacheValueType: request.kvCacheType ? kvTypes[request.kvCacheType] : undefined,
      });
    } catch (error) {
      await this.embeddings.detach();
      await model.dispose();
      throw error;
    }
    guardFirstLogitRead(this.context);
    this.model = model;
    this.chatWrapper = chatWrapperFor(model);
    this.allSequences = Array.from({ length: parallel }, () => this.context!.getSequence());
    this.sequences.reset([...this.allSequences]);
    this.placement = {
      gpuLayers: model.gpuLayers,
      totalLayers: model.fileInsights.totalLayers,
      requestedGpuLayers: request.gpuLayers,
    };
    return {
      modelPath: request.modelPath,
      contextSize: this.context.contextSize,
      gpuLayers: model.gpuLayers,
      totalLayers: model.fileInsights.totalLayers,
      loadMs: Date.now() - started,
      buffers: this.buffers.take(),
    };
  }

  /** An embedding model: its embedding context now, and no chat context at all. */
  private async loadForEmbeddings(
    model: LlamaModel,
    request: LoadRequest,
    started: number,
  ): Promise<LoadResult> {
    this.model = model;
    this.vectorsOnly = true;
    let contextSize: number;
    try {
      contextSize = await this.embeddings.prepare();
    } catch (error) {
      await this.unload();
      throw error;
    }
    const placed = { gpuLayers: model.gpuLayers, totalLayers: model.fileInsights.totalLayers };
    this.placement = { ...placed, requestedGpuLayers: request.gpuLayers };
    return { modelPath: request.modelPath, contextSize, ...placed, loadMs: Date.now() - started };
  }

  embed(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResult> {
    return this.embeddings.embed(request, signal);
  }

  /** Forbids end-of-sequence and end-of-turn, so a benchmark reply runs to its full length. */
  private endOfTurnBias(): TokenBias | undefined {
    if (!this.model) return undefined;
    const tokens = this.model.tokens;
    const bias = TokenBias.for(this.model);
    for (const token of [tokens.eos, tokens.eot]) if (token !== null) bias.set(token, 'never');
    return bias;
  }

  /** A conversation's tokens as a chat request would render it, without generating (count_tokens). */
  tokenCount(request: CountRequest): number {
    // An embedding model has no chat context: it renders no conversation.
    if (!this.model || !this.context) throw new Error('No chat model is loaded');
    return countRequestTokens(this.model, this.chatWrapper, request);
  }

  async chat(request: ChatRequest, onChunk: ChunkHandler, signal: AbortSignal): Promise<ChatResult> {
    const model = this.model;
    if (this.vectorsOnly) throw new Error('This is an embedding model: it makes vectors, not replies');
    if (!model || !this.context || !this.llama) throw new Error('No model is loaded');
    if (request.rawPrompt !== undefined) return this.complete(request, request.rawPrompt, onChunk, signal);
    const tools = usesTools(request);
    const loaded = { model, chatWrapper: this.chatWrapper, contextSize: this.context.contextSize };
    const { history, prompt, trimNotice, room } = tools
      ? fitToolChat(loaded, request)
      : fitToContext(loaded, request);
    // A reply never runs past the end of the context: shifting the context mid-reply loses the
    // reply's start (and, with some models, all of it). It stops there, saying so.
    const maxTokens = Math.max(1, Math.min(request.sampling.maxTokens, room - 4));
    const capped = maxTokens < request.sampling.maxTokens;
    const grammar = request.jsonSchema
      ? await this.llama.createGrammarForJsonSchema(request.jsonSchema as never)
      : undefined;
    const started = performance.now();
    const sequence = await this.sequences.acquire(signal);
    let firstTokenAt: number | undefined;
    let thought = '';
    // Tokens node-llama-cpp handed on as text. It holds back text that ends in a broken UTF-8
    // character until the character completes, and drops what it still holds when the reply ends:
    // a model that writes invalid bytes would otherwise end "done" with an empty or cut reply.
    let releasedTokens = 0;
    const live = this.live.begin();
    const meter = {
      input: sequence.tokenMeter.usedInputTokens,
      output: sequence.tokenMeter.usedOutputTokens,
    };
    const s = request.sampling;
    const reply: ReplyOptions = {
      maxTokens,
      ...samplingOptions(s),
      budgets: s.maxThoughtTokens === undefined ? undefined : { thoughtTokens: s.maxThoughtTokens },
      tokenBias: request.ignoreEos ? this.endOfTurnBias() : undefined,
      signal,
      stopOnAbortSignal: true,
      onToken: (tokens) => {
        releasedTokens += tokens.length;
        live.tokens(tokens.length);
      },
      onResponseChunk: (chunk) => {
        if (chunk.text.length === 0) return;
        firstTokenAt ??= performance.now();
        const segment: ChunkSegment =
          chunk.type === 'segment' && chunk.segmentType === 'thought' ? 'thought' : 'text';
        if (segment === 'thought') thought += chunk.text;
        if (chunk.type === undefined || segment === 'thought') onChunk(chunk.text, segment);
      },
    };
    try {
      const outcome = tools
        ? await runToolChat({
            sequence,
            chatWrapper: this.chatWrapper,
            history,
            request,
            reply,
            onChunk: (text, segment, call) => {
              firstTokenAt ??= performance.now();
              onChunk(text, segment, call);
            },
          })
        : await sessionReply({
            sequence,
            model,
            chatWrapper: this.chatWrapper,
            history,
            prompt,
            reply: { ...reply, grammar },
            signal,
          });
      return chatResult(model, {
        outcome,
        thought,
        sampling: s,
        trimNotice,
        capped,
        contextSize: this.context.contextSize,
        room,
        promptTokens: sequence.tokenMeter.usedInputTokens - meter.input,
        generatedTokens: sequence.tokenMeter.usedOutputTokens - meter.output,
        releasedTokens,
        started,
        firstTokenAt,
        ended: performance.now(),
      });
    } finally {
      live.end();
      this.sequences.release(sequence);
    }
  }

  /** A raw text completion (no chat template) on a free sequence. */
  private async complete(
    request: ChatRequest,
    prompt: string,
    onChunk: (text: string, segment: ChunkSegment) => void,
    signal: AbortSignal,
  ): Promise<ChatResult> {
    const grammar = request.jsonSchema
      ? await this.llama!.createGrammarForJsonSchema(request.jsonSchema as never)
      : undefined;
    const sequence = await this.sequences.acquire(signal);
    try {
      return await completeRaw({
        sequence,
        model: this.model!,
        prompt,
        sampling: request.sampling,
        grammar,
        signal,
        onText: (text) => onChunk(text, 'text'),
      });
    } finally {
      this.sequences.release(sequence);
    }
  }

  /** Context fill, placement and live speed, for the resource monitor (cheap: no native call). */
  stats(): Omit<EngineStats, 'cpuMicros' | 'rssBytes'> {
    const fill = this.allSequences.map((s) => (s.disposed ? 0 : s.nextTokenIndex));
    return {
      contextSize: this.context?.contextSize ?? null,
      contextTokens: this.context ? Math.max(0, ...fill) : null,
      generating: this.live.generating,
      tokensPerSecond: this.live.tokensPerSecond(),
      gpuLayers: this.placement?.gpuLayers ?? null,
      totalLayers: this.placement?.totalLayers ?? null,
      requestedGpuLayers: this.placement?.requestedGpuLayers ?? null,
      offload: this.gpu === false ? 'off' : this.llama?.supportsGpuOffloading === false ? 'none' : 'gpu',
    };
  }

  async unload(): Promise<void> {
    this.allSequences = [];
    this.placement = undefined;
    this.sequences.clear('The model was unloaded');
    this.vectorsOnly = false;
    await this.embeddings.detach();
    await this.context?.dispose();
    await this.model?.dispose();
    this.context = undefined;
    this.model = undefined;
  }
}
