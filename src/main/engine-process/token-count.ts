import type { ChatHistoryItem, ChatWrapper, LlamaModel } from 'node-llama-cpp';
import type { ChatMessage, CountRequest, ToolDefinition } from './protocol';
import { functionsOf, toolHistory, usesTools } from './tool-history';

/** A conversation without tools as node-llama-cpp history, and its last user message (the prompt). */
export function plainHistory(messages: ChatMessage[]): { history: ChatHistoryItem[]; prompt: string } {
  const last = messages.at(-1);
  if (!last || last.role !== 'user') throw new Error('The last message must be from the user');
  const history: ChatHistoryItem[] = messages
    .slice(0, -1)
    .map((m) =>
      m.role === 'assistant'
        ? { type: 'model', response: [m.content] }
        : { type: m.role === 'system' ? 'system' : 'user', text: m.content },
    );
  return { history, prompt: last.content };
}

/** The history a plain reply renders: the prompt as the last user turn, then the model's empty turn. */
export const withReply = (history: ChatHistoryItem[], prompt: string): ChatHistoryItem[] => [
  ...history,
  { type: 'user', text: prompt },
  { type: 'model', response: [] },
];

const textOf = (item: ChatHistoryItem): string =>
  item.type === 'model'
    ? item.response.filter((r): r is string => typeof r === 'string').join('')
    : typeof item.text === 'string'
      ? item.text
      : '';

/**
 * Tokens a history takes once rendered with the model's chat template, with the tools documented
 * in it as a tool reply renders them. A model with no chat format has its texts counted as they are.
 */
export function renderedTokens(
  model: LlamaModel,
  chatWrapper: ChatWrapper | undefined,
  chatHistory: ChatHistoryItem[],
  tools?: ToolDefinition[],
): number {
  if (!chatWrapper) return model.tokenize(chatHistory.map(textOf).join('\n')).length;
  const { contextText } = chatWrapper.generateContextState({
    chatHistory,
    availableFunctions: tools && tools.length > 0 ? functionsOf(tools) : undefined,
  });
  return contextText.tokenize(model.tokenizer).length;
}

/**
 * The tokens a chat request's conversation takes, on the path its reply would take (the tool path
 * when tools or calls are in it): what the reply's stats report as its context tokens when no
 * older message had to be left out.
 */
export function countRequestTokens(
  model: LlamaModel,
  chatWrapper: ChatWrapper | undefined,
  request: CountRequest,
): number {
  if (usesTools(request))
    return renderedTokens(model, chatWrapper, toolHistory(request.messages), request.tools);
  const { history, prompt } = plainHistory(request.messages);
  return renderedTokens(model, chatWrapper, withReply(history, prompt));
}
