import type { ChatMessage, ToolChoice, ToolDefinition } from '../../engine-process/protocol';
import { ApiError } from '../api-error';
import { offeredTools } from '../tool-schema';
import type { ChatCompletionBody } from './schemas';

const invalid = (param: string, message: string): ApiError =>
  new ApiError(400, `${param}: ${message}`, 'invalid_value', param);

/** The offered tools, checked beyond their shape: object parameters, one tool per name. */
export function toolsFrom(body: ChatCompletionBody): ToolDefinition[] | undefined {
  if (!body.tools || body.tools.length === 0) return undefined;
  return offeredTools(
    body.tools.map((t) => t.function),
    (i) => ({ name: `tools.${i}.function.name`, parameters: `tools.${i}.function.parameters` }),
  );
}

export function toolChoiceFrom(body: ChatCompletionBody, tools: ToolDefinition[] | undefined): ToolChoice {
  const choice = body.tool_choice ?? 'auto';
  if (choice === 'auto' || choice === 'none') return choice;
  if (!tools) throw invalid('tool_choice', 'a tool call was asked for, but no tools are offered');
  if (choice === 'required') return choice;
  const name = choice.function.name;
  if (!tools.some((t) => t.name === name)) throw invalid('tool_choice', `no offered tool is named "${name}"`);
  return { name };
}

/** An assistant turn's calls and a tool message's link to its call, as the engine keeps them. */
export function toolFieldsOf(
  m: ChatCompletionBody['messages'][number],
  index: number,
): Pick<ChatMessage, 'toolCalls' | 'toolCallId'> {
  if (m.role === 'tool') {
    if (m.tool_call_id === undefined)
      throw invalid(`messages.${index}.tool_call_id`, 'a tool message names the call it answers');
    return { toolCallId: m.tool_call_id };
  }
  if (m.role !== 'assistant' || !m.tool_calls || m.tool_calls.length === 0) return {};
  return {
    toolCalls: m.tool_calls.map((c) => ({
      id: c.id,
      name: c.function.name,
      arguments: c.function.arguments,
    })),
  };
}
