import {
  getLlama,
  LlamaChatSession,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import type { LoadRequest, LoadResult, PromptRequest, PromptResult } from './protocol';

export type GpuSetting = 'auto' | 'cuda' | 'vulkan' | 'metal' | false;

export function parseGpuSetting(value: string | undefined): GpuSetting {
  if (value === 'false' || value === 'cpu') return false;
  if (value === 'cuda' || value === 'vulkan' || value === 'metal') return value;
  return 'auto';
}

/** node-llama-cpp lives here only: one model and one context at a time (the full engine is a later issue). */
export class LlamaEngine {
  private llama: Llama | undefined;
  private model: LlamaModel | undefined;
  private context: LlamaContext | undefined;

  constructor(private readonly gpu: GpuSetting) {}

  private async runtime(): Promise<Llama> {
    // build: 'never': the prebuilt binaries ship in npm packages; never compile or download at run time.
    this.llama ??= await getLlama({ gpu: this.gpu, build: 'never', logLevel: LlamaLogLevel.error });
    return this.llama;
  }

  async load(request: LoadRequest, onProgress: (progress: number) => void): Promise<LoadResult> {
    const started = Date.now();
    await this.unload();
    const llama = await this.runtime();
    const model = await llama.loadModel({
      modelPath: request.modelPath,
      gpuLayers: request.gpuLayers === 'auto' ? 'auto' : request.gpuLayers,
      onLoadProgress: onProgress,
    });
    try {
      this.context = await model.createContext({
        contextSize: request.contextSize,
        threads: request.threads,
      });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    this.model = model;
    return {
      modelPath: request.modelPath,
      contextSize: this.context.contextSize,
      gpuLayers: model.gpuLayers,
      loadMs: Date.now() - started,
    };
  }

  async prompt(
    request: PromptRequest,
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<PromptResult> {
    if (!this.model || !this.context) throw new Error('No model is loaded');
    const sequence = this.context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: true });
    let tokens = 0;
    try {
      const result = await session.promptWithMeta(request.text, {
        maxTokens: request.maxTokens,
        temperature: request.temperature ?? 0,
        seed: request.seed,
        signal,
        stopOnAbortSignal: true,
        onResponseChunk: (chunk) => {
          tokens += chunk.tokens.length;
          if (chunk.type === undefined) onText(chunk.text);
        },
      });
      const stopReason =
        result.stopReason === 'abort' ? 'abort' : result.stopReason === 'maxTokens' ? 'maxTokens' : 'eos';
      return { text: result.responseText, tokens, stopReason };
    } finally {
      session.dispose({ disposeSequence: true });
    }
  }

  async unload(): Promise<void> {
    await this.context?.dispose();
    await this.model?.dispose();
    this.context = undefined;
    this.model = undefined;
  }
}
