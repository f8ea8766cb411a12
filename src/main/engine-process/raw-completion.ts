import {
  LlamaCompletion,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import type { ChatResult, Sampling } from './protocol';
import { samplingOptions } from './sampling-penalty';

/**
 * Continues a text as it is, with no chat template: what OpenAI's /v1/completions and Ollama's
 * raw generate ask for. The reply stops at the end of the context, saying so.
 */
export async function completeRaw(options: {
  sequence: LlamaContextSequence;
  model: LlamaModel;
  prompt: string;
  sampling: Sampling;
  grammar?: LlamaGrammar;
  signal: AbortSignal;
  onText: (text: string) => void;
}): Promise<ChatResult> {
  const { sequence, model, sampling: s } = options;
  const size = sequence.context.contextSize;
  const promptTokens = model.tokenize(options.prompt, false).length + 1;
  if (promptTokens >= size - 4)
    throw new Error(
      `The prompt is too long for this model's context: it takes ${promptTokens} tokens and the context holds ${size}`,
    );
  const maxTokens = Math.max(1, Math.min(s.maxTokens, size - promptTokens - 4));
  const meter = { input: sequence.tokenMeter.usedInputTokens, output: sequence.tokenMeter.usedOutputTokens };
  const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
  const started = performance.now();
  let firstTokenAt: number | undefined;
  try {
    const result = await completion.generateCompletionWithMeta(options.prompt, {
      maxTokens,
      ...samplingOptions(s),
      grammar: options.grammar,
      signal: options.signal,
      stopOnAbortSignal: true,
      disableContextShift: true,
      onTextChunk: (text) => {
        if (text.length === 0) return;
        firstTokenAt ??= performance.now();
        options.onText(text);
      },
    });
    const ended = performance.now();
    // Reported as kept: the meter can count one more evaluated past the limit.
    const generatedTokens = Math.min(maxTokens, sequence.tokenMeter.usedOutputTokens - meter.output);
    const evaluated = sequence.tokenMeter.usedInputTokens - meter.input;
    const ttft = (firstTokenAt ?? ended) - started;
    const stop = result.metadata.stopReason;
    return {
      text: result.response,
      thought: '',
      notice:
        stop === 'maxTokens' && maxTokens < s.maxTokens
          ? `The reply stopped at the end of the ${size}-token context.`
          : null,
      stopReason:
        stop === 'abort'
          ? 'abort'
          : stop === 'maxTokens'
            ? 'maxTokens'
            : stop === 'customStopTrigger'
              ? 'stopString'
              : 'eos',
      stats: {
        timeToFirstTokenMs: ttft,
        promptTokens: evaluated,
        contextTokens: promptTokens,
        promptTokensPerSecond: ttft > 0 ? (evaluated * 1000) / ttft : 0,
        generatedTokens,
        generationTokensPerSecond:
          generatedTokens > 1
            ? ((generatedTokens - 1) * 1000) / Math.max(1e-3, ended - (firstTokenAt ?? started))
            : 0,
        totalMs: ended - started,
      },
    };
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}
