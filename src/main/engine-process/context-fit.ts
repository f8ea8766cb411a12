import type { ChatHistoryItem, ChatWrapper, LlamaModel } from 'node-llama-cpp';
import type { ChatRequest } from './protocol';
import { plainHistory, renderedTokens, withReply } from './token-count';
import { toolHistory } from './tool-history';

/** A conversation as it goes into the context, and the tokens left for the reply. */
export interface FittedConversation {
  history: ChatHistoryItem[];
  prompt: string;
  /** Why older turns are missing, when some were left out. */
  trimNotice: string | null;
  /** Tokens left for the reply once the conversation is in the context. */
  room: number;
}

interface Loaded {
  model: LlamaModel;
  chatWrapper: ChatWrapper | undefined;
  contextSize: number;
}

/** The context less the room kept for the reply (at most a quarter of it). */
const promptBudget = (request: ChatRequest, size: number): number =>
  size - Math.min(request.sampling.maxTokens, Math.floor(size / 4));

/**
 * Leaves out the oldest turns (keeping the system prompt) until the conversation and room for
 * the reply fit the context, and says so; refuses when even the last message alone cannot fit.
 */
export function fitToContext(loaded: Loaded, request: ChatRequest): FittedConversation {
  const { model, chatWrapper, contextSize: size } = loaded;
  const count = (items: ChatHistoryItem[], prompt: string): number =>
    renderedTokens(model, chatWrapper, withReply(items, prompt));
  const { history, prompt } = plainHistory(request.messages);
  const budget = promptBudget(request, size);
  const system = history.filter((h) => h.type === 'system');
  let turns = history.filter((h) => h.type !== 'system');
  let dropped = 0;
  let used = count([...system, ...turns], prompt);
  while (used > budget) {
    if (turns.length === 0) {
      const needed = count(system, prompt);
      throw new Error(
        `The message is too long for this model's context: it takes ${needed} tokens and the context holds ${size} (with room for the reply)`,
      );
    }
    turns = turns.slice(1);
    dropped++;
    used = count([...system, ...turns], prompt);
  }
  const trimNotice =
    dropped > 0
      ? `${dropped} older message${dropped > 1 ? 's were' : ' was'} left out so the conversation fits the ${size}-token context.`
      : null;
  return { history: [...system, ...turns], prompt, trimNotice, room: size - used };
}

/**
 * A conversation with tools, calls and results as it is: it ends with a tool result as often as
 * with a user message, and older turns are not left out (a call without its result confuses a
 * model more than a refusal does).
 */
export function fitToolChat(loaded: Loaded, request: ChatRequest): FittedConversation {
  const { model, chatWrapper, contextSize: size } = loaded;
  const history = toolHistory(request.messages);
  const used = renderedTokens(model, chatWrapper, history, request.tools);
  if (used > promptBudget(request, size))
    throw new Error(
      `The conversation is too long for this model's context: it takes ${used} tokens and the context holds ${size} (with room for the reply)`,
    );
  return { history, prompt: '', trimNotice: null, room: size - used };
}
