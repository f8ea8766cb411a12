import { randomUUID } from 'node:crypto';
import type { ChatRequest, ChatResult } from '../../engine-process/protocol';
import type { FunctionToolBody, ResponsesBody } from './responses-schema';

/** OpenAI-style ids: a prefix and 32 hex digits (resp_, msg_, rs_, fc_). */
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replaceAll('-', '')}`;

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: never[];
  content: { type: 'reasoning_text'; text: string }[];
  status: ItemStatus;
}

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: never[];
  logprobs: never[];
}

export interface MessageItem {
  type: 'message';
  id: string;
  role: 'assistant';
  status: ItemStatus;
  content: OutputText[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

export type OutputItem = ReasoningItem | MessageItem | FunctionCallItem;

export const outputText = (text: string): OutputText => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

export const reasoningItem = (id: string, text: string, status: ItemStatus): ReasoningItem => ({
  type: 'reasoning',
  id,
  summary: [],
  content: [{ type: 'reasoning_text', text }],
  status,
});

export const messageItem = (id: string, text: string, status: ItemStatus): MessageItem => ({
  type: 'message',
  id,
  role: 'assistant',
  status,
  content: [outputText(text)],
});

export const functionCallItem = (
  id: string,
  call: { id: string; name: string; arguments: string },
  status: ItemStatus,
): FunctionCallItem => ({
  type: 'function_call',
  id,
  call_id: call.id,
  name: call.name,
  arguments: call.arguments,
  status,
});

/** Stopped at max_output_tokens: the response and its last item are incomplete. */
export const isIncomplete = (result: ChatResult): boolean => result.stopReason === 'maxTokens';

/** The items of a finished reply: thinking, then the answer text, then the calls. */
export function outputOf(result: ChatResult): OutputItem[] {
  const status: ItemStatus = isIncomplete(result) ? 'incomplete' : 'completed';
  const calls = result.toolCalls ?? [];
  return [
    ...(result.thought ? [reasoningItem(newId('rs'), result.thought, status)] : []),
    // A reply that is only calls has no message; any other reply has one, even if empty.
    ...(result.text || calls.length === 0 ? [messageItem(newId('msg'), result.text, status)] : []),
    ...calls.map((call) => functionCallItem(newId('fc'), call, 'completed')),
  ];
}

/**
 * Token counts in the Responses shape. cached_tokens is the prompt prefix the engine reused from its
 * previous reply (read, not recomputed). Hearth does not count thinking tokens apart from the rest,
 * so reasoning_tokens is 0 and output_tokens includes them.
 */
export function usageOf(result: ChatResult) {
  const input = result.stats.contextTokens ?? result.stats.promptTokens;
  const output = result.stats.generatedTokens;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: Math.max(0, input - result.stats.promptTokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

export type ResponseState =
  | { status: 'in_progress' }
  | { status: 'completed' | 'incomplete'; result: ChatResult }
  | { status: 'failed'; message: string };

const echoTool = (t: FunctionToolBody) => ({
  type: 'function' as const,
  name: t.name,
  description: t.description ?? null,
  parameters: t.parameters ?? null,
  strict: t.strict ?? null,
});

/**
 * One response object as each lifecycle event and the non-streamed reply carry it: the request's
 * settings echoed (store is always false: nothing is kept), the output and usage once finished.
 */
export function responseObject(
  meta: {
    id: string;
    createdAt: number;
    body: ResponsesBody;
    request: ChatRequest;
    tools: FunctionToolBody[];
  },
  state: ResponseState,
  output: OutputItem[],
) {
  const { body, request } = meta;
  const finished = state.status === 'completed' || state.status === 'incomplete';
  return {
    id: meta.id,
    object: 'response' as const,
    created_at: meta.createdAt,
    status: state.status,
    background: false,
    completed_at: finished ? Math.floor(Date.now() / 1000) : null,
    error: state.status === 'failed' ? { code: 'server_error' as const, message: state.message } : null,
    incomplete_details: state.status === 'incomplete' ? { reason: 'max_output_tokens' as const } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: null,
    metadata: body.metadata ?? {},
    model: body.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: request.sampling.temperature,
    text: { format: body.text?.format ?? { type: 'text' as const }, verbosity: body.text?.verbosity ?? null },
    tool_choice: body.tool_choice ?? 'auto',
    tools: meta.tools.map(echoTool),
    top_p: body.top_p ?? null,
    truncation: body.truncation ?? 'disabled',
    usage: finished ? usageOf(state.result) : null,
    ...(body.user ? { user: body.user } : {}),
  };
}
