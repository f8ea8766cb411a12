import type { LibraryModel } from '../../../shared/contract';
import type { ChatResult, Sampling } from '../../engine-process/protocol';
import { ApiError } from '../api-error';
import { grammarSchema } from '../schema-support';
import type { OllamaChatBody, OllamaOptions } from './schemas';

const unlimitedTokens = 131_072;
/** Ollama's default temperature. */
const defaultTemperature = 0.8;

const penalty = (value: number | undefined): number | undefined =>
  value && value > 0 ? Math.min(1, value) : undefined;

export function samplingFromOptions(options: OllamaOptions = {}): Sampling {
  const predict = options.num_predict;
  return {
    temperature: options.temperature ?? defaultTemperature,
    topP: options.top_p,
    topK: options.top_k,
    minP: options.min_p,
    repeatPenalty: options.repeat_penalty,
    presencePenalty: penalty(options.presence_penalty),
    frequencyPenalty: penalty(options.frequency_penalty),
    seed: options.seed === undefined ? undefined : ((options.seed % 2 ** 32) + 2 ** 32) % 2 ** 32,
    maxTokens: predict === undefined || predict < 0 ? unlimitedTokens : Math.max(1, predict),
    stop: (options.stop ?? []).filter((s) => s !== ''),
  };
}

const units: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * keep_alive in ms (negative: forever), or undefined when absent. Numbers, and strings that are
 * numbers, are seconds; other strings are Go durations ("5m", "1h30m", "-1m").
 */
export function keepAliveMs(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value < 0 ? -1 : value * 1000;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return keepAliveMs(Number(text));
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  const parts = [...body.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== body)
    throw new ApiError(
      400,
      `keep_alive: "${text.slice(0, 40)}" is not a duration (try "5m", "1h" or -1)`,
      'invalid_value',
      'keep_alive',
    );
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2]!] ?? 0), 0);
  return sign < 0 ? -1 : ms;
}

/** format: "json" asks for any JSON object; a schema constrains the reply to it. */
export function jsonSchemaFrom(format: OllamaChatBody['format']): Record<string, unknown> | undefined {
  if (format === undefined || format === '') return undefined;
  return format === 'json' ? { type: 'object', additionalProperties: true } : grammarSchema(format, 'format');
}

export const doneReason = (result: ChatResult): 'stop' | 'length' =>
  result.stopReason === 'maxTokens' ? 'length' : 'stop';

const ns = (ms: number): number => Math.round(ms * 1e6);

/** The numbers Ollama's last line carries, in nanoseconds as it gives them. */
export function durations(result: ChatResult, startedAt: number, loadMs: number) {
  const s = result.stats;
  return {
    total_duration: ns(Date.now() - startedAt),
    load_duration: ns(loadMs),
    prompt_eval_count: s.contextTokens ?? s.promptTokens,
    prompt_eval_duration: ns(s.timeToFirstTokenMs),
    eval_count: s.generatedTokens,
    eval_duration: ns(Math.max(0, s.totalMs - s.timeToFirstTokenMs)),
  };
}

/** "1.2B", "350M": how Ollama writes a parameter count. */
function parameterSize(parameters: number | null): string {
  if (!parameters) return '';
  if (parameters >= 1e9) return `${(parameters / 1e9).toFixed(1)}B`;
  if (parameters >= 1e6) return `${(parameters / 1e6).toFixed(1)}M`;
  return `${Math.round(parameters / 1e3)}K`;
}

export function modelDetails(model: LibraryModel) {
  const family = model.architecture ?? '';
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: family ? [family] : [],
    parameter_size: parameterSize(model.parameters),
    quantization_level: model.quant ?? '',
  };
}
