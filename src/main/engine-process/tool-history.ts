import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelFunctions,
  ChatModelResponse,
  GbnfJsonSchema,
} from 'node-llama-cpp';
import type { ChatMessage, ToolDefinition } from './protocol';

/** The client's tools as node-llama-cpp functions: it documents them and grammar-constrains calls. */
export function functionsOf(tools: ToolDefinition[]): ChatModelFunctions {
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of tools)
    functions[tool.name] = {
      description: tool.description,
      // node-llama-cpp reads a subset of JSON schema; the API checked the shape is an object schema.
      params: tool.parameters as GbnfJsonSchema | undefined,
    };
  return functions;
}

/** A call's arguments as the object the chat template renders (the text itself when not JSON). */
function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The conversation as node-llama-cpp history: an assistant turn's calls become functionCall items
 * of its model response, each carrying the result of the `tool` message that answers it, so the
 * chat template renders call and result where the model expects them. Tool messages that answer
 * no known call are kept as user text rather than dropped. When the conversation does not end
 * with the model's turn, an empty one is added for the reply.
 */
export function toolHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  for (const m of messages) {
    if (m.role === 'assistant') {
      const response: ChatModelResponse['response'] = m.content ? [m.content] : [];
      for (const call of m.toolCalls ?? []) {
        const item: ChatModelFunctionCall = {
          type: 'functionCall',
          name: call.name,
          params: parsedArguments(call.arguments),
          result: undefined,
        };
        calls.set(call.id, item);
        response.push(item);
      }
      history.push({ type: 'model', response });
    } else if (m.role === 'tool') {
      const call = m.toolCallId === undefined ? undefined : calls.get(m.toolCallId);
      if (call) call.result = m.content;
      else history.push({ type: 'user', text: m.content });
    } else {
      history.push(
        m.role === 'system' ? { type: 'system', text: m.content } : { type: 'user', text: m.content },
      );
    }
  }
  // A call the client sent no result for still needs one for the template to render it.
  for (const call of calls.values()) call.result ??= '';
  const last = history.at(-1);
  const continues = last?.type === 'model' && last.response.some((r) => typeof r !== 'string');
  if (!continues) history.push({ type: 'model', response: [] });
  return history;
}

/** Whether a request needs the tool path: tools offered, or calls and results in the history. */
export function usesTools(request: { tools?: ToolDefinition[]; messages: ChatMessage[] }): boolean {
  return (
    (request.tools?.length ?? 0) > 0 ||
    request.messages.some((m) => m.role === 'tool' || (m.toolCalls?.length ?? 0) > 0)
  );
}
