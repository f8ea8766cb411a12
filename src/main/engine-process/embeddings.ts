import type { LlamaEmbeddingContext, LlamaModel, Token } from 'node-llama-cpp';
import { isEmbeddingModel } from '../../shared/domain/embedding-model';
import type { EmbedRequest, EmbedResult } from './protocol';

/** Longer contexts cost a compute buffer that grows with the square of the batch for encoders. */
const maxEmbeddingContext = 8192;
/** A chat model's embedding context is a second KV cache beside its chat one: kept modest. */
const maxChatModelEmbeddingContext = 4096;

interface Attached {
  model: LlamaModel;
  name: string;
  contextSize: number;
  /** A pooling model needs every token of an input in one batch; a chat model's last token does not. */
  batchSize: number | undefined;
  threads: number;
  context?: Promise<LlamaEmbeddingContext>;
}

type Refusal = Extract<EmbedResult, { refused: unknown }>;

const refuse = (param: string, message: string): Refusal => ({ refused: { param, message } });

/** Whether node-llama-cpp's model is an embedding model, from its own header. */
export function embeddingOnly(model: LlamaModel): boolean {
  const metadata = model.fileInfo.metadata as unknown as Record<string, unknown>;
  const architecture = (metadata.general as { architecture?: unknown } | undefined)?.architecture;
  if (typeof architecture !== 'string') return false;
  const own = metadata[architecture] as { pooling_type?: unknown } | undefined;
  return isEmbeddingModel(architecture, own?.pooling_type);
}

/**
 * Vectors through node-llama-cpp's embedding context: created with the model for an embedding
 * model, or on the first request for a chat model (the user opted in; its own context stays for
 * chat). One input at a time, as the context has one sequence; a cancel stops between inputs.
 */
export class EmbeddingRunner {
  private attached: Attached | undefined;

  attach(model: LlamaModel, options: { contextSize: number; threads: number }): void {
    const name = model.fileInfo.metadata.general?.name;
    const pooled = embeddingOnly(model);
    const cap = pooled ? maxEmbeddingContext : maxChatModelEmbeddingContext;
    const contextSize = Math.max(8, Math.min(options.contextSize, model.trainContextSize, cap));
    this.attached = {
      model,
      name: typeof name === 'string' && name ? name : 'This model',
      contextSize,
      // llama.cpp pools one batch at a time, and an encoder cannot split an input at all.
      batchSize: pooled ? contextSize : undefined,
      threads: options.threads,
    };
  }

  /** Creates the context now, so a load fails (or takes its memory) at load time. */
  async prepare(): Promise<number> {
    return (await this.context()).contextSize;
  }

  private context(): Promise<{ embed: LlamaEmbeddingContext; contextSize: number }> {
    const attached = this.attached;
    if (!attached) return Promise.reject(new Error('No model is loaded'));
    attached.context ??= attached.model.createEmbeddingContext({
      contextSize: attached.contextSize,
      batchSize: attached.batchSize,
      threads: attached.threads,
    });
    // A failed creation is not kept: the next request tries again.
    attached.context.catch(() => {
      if (this.attached === attached) attached.context = undefined;
    });
    return attached.context.then((embed) => ({ embed, contextSize: attached.contextSize }));
  }

  async embed(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResult> {
    const attached = this.attached;
    if (!attached) throw new Error('No model is loaded');
    const { model, name } = attached;
    const dimensions = model.embeddingVectorSize;
    if (request.dimensions !== undefined && request.dimensions !== dimensions)
      return refuse(
        'dimensions',
        `${name} makes ${dimensions}-dimensional vectors and cannot shorten them: leave dimensions out or set it to ${dimensions}`,
      );
    const { embed, contextSize } = await this.context();
    const planned = this.plan(request, embed, contextSize, attached);
    if ('refused' in planned) return planned;
    const started = performance.now();
    const vectors: number[][] = [];
    for (const tokens of planned.inputs) {
      if (signal.aborted) throw new Error('The request was cancelled');
      const { vector } = await embed.getEmbeddingFor(tokens);
      vectors.push(request.normalize ? normalize(vector) : checked(vector));
    }
    return { vectors, tokens: planned.lengths, dimensions, totalMs: performance.now() - started };
  }

  /** Tokens per input, checked and cut to the context before any is run: a refusal costs nothing. */
  private plan(
    request: EmbedRequest,
    embed: LlamaEmbeddingContext,
    contextSize: number,
    { model, name }: Attached,
  ): { inputs: Token[][]; lengths: number[] } | Refusal {
    const vocabulary = model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
    // getEmbeddingFor refuses an input of contextSize tokens or more, special tokens included.
    const room = contextSize - 1;
    const inputs: Token[][] = [];
    const lengths: number[] = [];
    for (const [i, input] of request.inputs.entries()) {
      const param = request.inputs.length > 1 ? `input.${i}` : 'input';
      let tokens: Token[];
      if (typeof input === 'string') tokens = model.tokenize(input);
      else {
        const bad = input.find((t) => !Number.isInteger(t) || t < 0 || t >= vocabulary);
        if (bad !== undefined)
          return refuse(param, `token ${bad} is not in ${name}'s vocabulary (0 to ${vocabulary - 1})`);
        tokens = input as Token[];
      }
      if (tokens.length === 0) return refuse(param, 'is empty: there is nothing to embed');
      let length = embed.calculateInputLength(tokens);
      if (length > room) {
        if (!request.truncate)
          return refuse(
            param,
            `takes ${length} tokens and ${name} reads at most ${room} at once: shorten it, or let Hearth cut it (Ollama's truncate: true)`,
          );
        // The special tokens the context adds around the text stay; the end of the text goes.
        tokens = tokens.slice(0, Math.max(1, tokens.length - (length - room)));
        length = embed.calculateInputLength(tokens);
      }
      inputs.push(tokens);
      lengths.push(length);
    }
    return { inputs, lengths };
  }

  async detach(): Promise<void> {
    const context = this.attached?.context;
    this.attached = undefined;
    await context?.then((c) => c.dispose()).catch(() => {});
  }
}

/** A vector of finite numbers (JSON would write NaN as null). */
function checked(vector: readonly number[]): number[] {
  if (!vector.every(Number.isFinite))
    throw new Error('The model produced an invalid vector (not finite numbers)');
  return [...vector];
}

/** Unit length (what OpenAI and Ollama's /api/embed return, so a dot product is the cosine). */
export function normalize(vector: readonly number[]): number[] {
  let sum = 0;
  for (const v of checked(vector)) sum += v * v;
  const norm = Math.sqrt(sum);
  // An all-zero vector has no direction: it stays zero rather than becoming NaN.
  return norm === 0 ? [...vector] : vector.map((v) => v / norm);
}
