import type { ChatRequest, ToolDefinition } from '../../engine-process/protocol';
import { ApiError } from '../api-error';
import { offeredTools } from '../tool-schema';
import type { ConversationBody } from './schemas';

const invalid = (param: string, message: string): ApiError =>
  new ApiError(400, `${param}: ${message}`, 'invalid_request', param);

/** Anthropic's rule for tool names, which also keeps them safe inside a chat template. */
const toolName = /^[a-zA-Z0-9_-]{1,128}$/;

/**
 * The offered tools as the engine's definitions. Anthropic's own tools (web_search, bash,
 * text_editor, computer…: a `type` other than "custom") are refused by name: Hearth runs no server
 * tool, and the client-run ones have a schema only Anthropic's models know.
 */
export function toolsFrom(body: Pick<ConversationBody, 'tools'>): ToolDefinition[] | undefined {
  if (!body.tools || body.tools.length === 0) return undefined;
  body.tools.forEach((t, i) => {
    if (t.type && t.type !== 'custom')
      throw invalid(
        `tools.${i}`,
        `"${t.name.slice(0, 100)}" (type ${t.type}) is one of Anthropic's built-in tools, which Hearth does not have; offer it as a custom tool with an input_schema`,
      );
    if (!toolName.test(t.name))
      throw invalid(`tools.${i}.name`, 'a tool name is 1 to 128 letters, digits, _ or -');
    if (!t.input_schema) throw invalid(`tools.${i}.input_schema`, 'a custom tool needs an input_schema');
  });
  // Claude Code's schemas carry validation-only words (format: uri, minimum...): dropped, not refused.
  return offeredTools(
    body.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema })),
    (i) => ({ name: `tools.${i}.name`, parameters: `tools.${i}.input_schema` }),
  );
}

/** tool_choice as the engine's: auto, none, any (some call), or the named tool. */
export function toolChoiceFrom(
  body: Pick<ConversationBody, 'tool_choice'>,
  tools: ToolDefinition[] | undefined,
): Pick<ChatRequest, 'toolChoice' | 'parallelToolCalls'> {
  const choice = body.tool_choice ?? { type: 'auto' as const };
  const parallel =
    'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use ? false : undefined;
  if (choice.type === 'auto' || choice.type === 'none')
    return { toolChoice: choice.type, parallelToolCalls: parallel };
  if (!tools) throw invalid('tool_choice', 'a tool call was asked for, but no tools are offered');
  if (choice.type === 'any') return { toolChoice: 'required', parallelToolCalls: parallel };
  if (!tools.some((t) => t.name === choice.name))
    throw invalid('tool_choice.name', `no offered tool is named "${choice.name.slice(0, 100)}"`);
  return { toolChoice: { name: choice.name }, parallelToolCalls: parallel };
}

/**
 * Hearth's call ids (call_…) in Anthropic's form (toolu_…). Ids in the history need no way back:
 * a tool_use and the tool_result naming it are linked by whatever id the client sends.
 */
export const toolUseId = (callId: string): string => `toolu_${callId.replace(/^call_/, '')}`;
