import {
  LlamaChatSession,
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import { prefillConversation } from './prompt-prefill';
import type { ToolCall } from './protocol';
import type { ReplyOptions } from './tool-chat';

/** What a reply ended as, before Hearth's notices and stats (a plain reply or one with tool calls). */
export interface ReplyOutcome {
  responseText: string;
  stopReason: string;
  toolCalls: ToolCall[];
  /** The stop string as it matched (a client such as Anthropic's is told which one ended the reply). */
  stopSequence?: string;
}

/** A plain reply through LlamaChatSession, which reuses the KV cache of the sequence's previous turn. */
export async function sessionReply(options: {
  sequence: LlamaContextSequence;
  model: LlamaModel;
  chatWrapper: ChatWrapper | undefined;
  history: ChatHistoryItem[];
  prompt: string;
  reply: ReplyOptions & { grammar?: LlamaGrammar };
  signal: AbortSignal;
}): Promise<ReplyOutcome> {
  const { sequence, chatWrapper, history, prompt, signal } = options;
  const session = new LlamaChatSession({
    contextSequence: sequence,
    chatWrapper,
    autoDisposeSequence: false,
  });
  try {
    if (chatWrapper) await prefillConversation(sequence, options.model, chatWrapper, history, prompt, signal);
    session.setChatHistory(history);
    const result = await session.promptWithMeta(prompt, options.reply);
    const trigger = result.customStopTrigger?.filter((t): t is string => typeof t === 'string').join('');
    return {
      responseText: result.responseText,
      stopReason: result.stopReason,
      toolCalls: [],
      ...(trigger ? { stopSequence: trigger } : {}),
    };
  } finally {
    session.dispose({ disposeSequence: false });
  }
}
