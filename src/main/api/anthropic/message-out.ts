import { createHash, randomUUID } from 'node:crypto';
import type { ChatResult, ToolCall } from '../../engine-process/protocol';
import { toolUseId } from './tools';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

export const messageId = (): string => `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`;

/**
 * A thinking block's signature. Anthropic's is an encrypted token its API checks when the block
 * comes back; the SDKs require the field. Hearth's is "hearth-sha256:" and the SHA-256 (base64) of
 * the thinking text: it vouches for nothing, it is what clients echo back, and Hearth never reads
 * it (earlier thinking is not rendered again).
 */
export const thinkingSignature = (thinking: string): string =>
  `hearth-sha256:${createHash('sha256').update(thinking).digest('base64')}`;

/** A call's arguments as the object tool_use.input holds (the text itself if it is not JSON). */
export function toolInput(call: ToolCall): unknown {
  try {
    return JSON.parse(call.arguments) as unknown;
  } catch {
    return call.arguments;
  }
}

export const textBlock = (text: string) => ({ type: 'text' as const, text, citations: null });
export const thinkingBlock = (thinking: string, signature: string) => ({
  type: 'thinking' as const,
  thinking,
  signature,
});
export const toolUseBlock = (call: Pick<ToolCall, 'id' | 'name'>, input: unknown) => ({
  type: 'tool_use' as const,
  id: toolUseId(call.id),
  name: call.name,
  input,
  caller: { type: 'direct' as const },
});

/** Why the reply ended, and the stop sequence that ended it (when the engine says which). */
export function stopOf(
  result: ChatResult,
  stops: readonly string[],
): { stop_reason: StopReason; stop_sequence: string | null } {
  if (result.stopReason === 'toolCalls') return { stop_reason: 'tool_use', stop_sequence: null };
  if (result.stopReason === 'maxTokens') return { stop_reason: 'max_tokens', stop_sequence: null };
  if (result.stopReason === 'stopString')
    return {
      stop_reason: 'stop_sequence',
      stop_sequence: result.stopSequence ?? (stops.length === 1 ? stops[0]! : null),
    };
  return { stop_reason: 'end_turn', stop_sequence: null };
}

/** The prompt as the model saw it (the whole context, with what was reused) and the reply's tokens. */
export function usageOf(result: ChatResult) {
  return {
    input_tokens: result.stats.contextTokens ?? result.stats.promptTokens,
    output_tokens: result.stats.generatedTokens,
    // Hearth reuses the KV cache of the previous reply on its own; nothing is billed, nothing written.
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

/**
 * max_tokens 0 asks for the prompt to be cached and nothing generated: the engine evaluates the
 * prompt (its KV cache then serves the next request with the same start) and writes one token,
 * which is not shown.
 */
export const promptOnly = (result: ChatResult): ChatResult => ({
  ...result,
  text: '',
  thought: '',
  toolCalls: undefined,
  stopReason: 'maxTokens',
  stats: { ...result.stats, generatedTokens: 0 },
});

/** The whole reply as one Anthropic message: thinking, then text, then the calls. */
export function messageOut(
  base: { id: string; model: string },
  result: ChatResult,
  stops: readonly string[],
) {
  const content: Array<
    ReturnType<typeof textBlock> | ReturnType<typeof thinkingBlock> | ReturnType<typeof toolUseBlock>
  > = [];
  if (result.thought) content.push(thinkingBlock(result.thought, thinkingSignature(result.thought)));
  if (result.text) content.push(textBlock(result.text));
  for (const call of result.toolCalls ?? []) content.push(toolUseBlock(call, toolInput(call)));
  // A reply with nothing in it still has a text block: clients read content[0] of a reply.
  if (content.length === 0) content.push(textBlock(''));
  return {
    id: base.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: base.model,
    content,
    ...stopOf(result, stops),
    usage: usageOf(result),
  };
}
