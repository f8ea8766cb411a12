import type { ChatMessage, ChatRequest, ChatResult, Sampling } from '../../engine-process/protocol';
import { ApiError } from '../api-error';
import { grammarSchema } from '../schema-support';
import type { ChatCompletionBody, CompletionBody } from './schemas';
import { toolChoiceFrom, toolFieldsOf, toolsFrom } from './tools';

/** No max_tokens: the reply may run to the end of the context (the engine stops it there). */
const unlimitedTokens = 131_072;
/** Hearth's usual temperature when a client sends none. */
const defaultTemperature = 0.7;

type SamplingBody = Pick<
  CompletionBody,
  | 'max_tokens'
  | 'temperature'
  | 'top_p'
  | 'seed'
  | 'stop'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'n'
  | 'top_k'
  | 'min_p'
  | 'repeat_penalty'
>;

/** OpenAI's seed is any 64-bit integer; llama.cpp's is 32 bits. */
const seed32 = (seed: number): number => ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;

/** OpenAI's penalties run -2..2; llama.cpp's 0..1 (lowering only), so the rest is clamped. */
const penalty = (value: number | null | undefined): number | undefined =>
  value && value > 0 ? Math.min(1, value) : undefined;

export function samplingFrom(body: SamplingBody, maxTokens: number | null | undefined): Sampling {
  if (body.n !== undefined && body.n !== null && body.n !== 1)
    throw new ApiError(400, `n: only n = 1 is supported (got ${body.n})`, 'invalid_value', 'n');
  // An empty stop string would end every reply at once: it is ignored, as OpenAI does.
  const stops = (typeof body.stop === 'string' ? [body.stop] : (body.stop ?? [])).filter((s) => s !== '');
  return {
    temperature: body.temperature ?? defaultTemperature,
    topP: body.top_p ?? undefined,
    topK: body.top_k,
    minP: body.min_p,
    repeatPenalty: body.repeat_penalty,
    presencePenalty: penalty(body.presence_penalty),
    frequencyPenalty: penalty(body.frequency_penalty),
    seed: body.seed === null || body.seed === undefined ? undefined : seed32(body.seed),
    maxTokens: maxTokens ?? unlimitedTokens,
    stop: stops,
  };
}

function textOf(content: ChatCompletionBody['messages'][number]['content'], index: number): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, p) => {
      if (part.type !== 'text' || part.text === undefined)
        throw new ApiError(
          400,
          `messages.${index}.content.${p}: content parts of type "${part.type}" are not supported`,
          'invalid_value',
          `messages.${index}.content`,
        );
      return part.text;
    })
    .join('\n');
}

export function chatRequestFrom(body: ChatCompletionBody): ChatRequest {
  const tools = toolsFrom(body);
  const toolChoice = toolChoiceFrom(body, tools);
  const messages: ChatMessage[] = body.messages.map((m, i) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: textOf(m.content, i),
    ...toolFieldsOf(m, i),
  }));
  // A tool result is answered by the model as a user message is.
  const last = messages.at(-1)?.role;
  if (last !== 'user' && last !== 'tool')
    throw new ApiError(
      400,
      'messages: the last message must be from the user or a tool',
      'invalid_value',
      'messages',
    );
  const format = body.response_format;
  if (tools && format && format.type !== 'text')
    throw new ApiError(
      400,
      'response_format: a JSON reply cannot be combined with tools',
      'invalid_value',
      'response_format',
    );
  return {
    ...(tools ? { tools, toolChoice, parallelToolCalls: body.parallel_tool_calls ?? undefined } : {}),
    messages,
    sampling: samplingFrom(body, body.max_completion_tokens ?? body.max_tokens),
    jsonSchema: jsonSchemaOf(format),
  };
}

/** response_format as the schema the grammar holds the reply to (json_object: any JSON object). */
function jsonSchemaOf(format: ChatCompletionBody['response_format']): Record<string, unknown> | undefined {
  if (format?.type === 'json_schema')
    return grammarSchema(format.json_schema.schema, 'response_format.json_schema.schema');
  return format?.type === 'json_object' ? { type: 'object', additionalProperties: true } : undefined;
}

export function completionRequestFrom(body: CompletionBody): ChatRequest {
  const prompt = typeof body.prompt === 'string' ? body.prompt : (body.prompt[0] ?? '');
  return {
    messages: [],
    rawPrompt: prompt,
    sampling: samplingFrom(body, body.max_tokens ?? 16),
    jsonSchema: jsonSchemaOf(body.response_format),
  };
}

export const finishReason = (result: ChatResult): 'stop' | 'length' | 'tool_calls' =>
  result.stopReason === 'maxTokens' ? 'length' : result.stopReason === 'toolCalls' ? 'tool_calls' : 'stop';

export function usageOf(result: ChatResult): {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
} {
  const prompt = result.stats.contextTokens ?? result.stats.promptTokens;
  const completion = result.stats.generatedTokens;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
