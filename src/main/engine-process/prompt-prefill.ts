import type { ChatHistoryItem, ChatWrapper, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';

/** Tokens evaluated between two looks at the abort signal: small enough to stop quickly, big enough to batch well. */
const chunkTokens = 256;

/**
 * Evaluates the conversation before the reply starts, in chunks, checking the abort signal between
 * them. node-llama-cpp evaluates a whole prompt as one queued decode that cannot be stopped, so a
 * client that leaves during a long prompt would keep the engine busy until it ends. The chat that
 * follows renders the same tokens, finds them in the sequence and evaluates only the last one.
 */
export async function prefillConversation(
  sequence: LlamaContextSequence,
  model: LlamaModel,
  chatWrapper: ChatWrapper,
  history: ChatHistoryItem[],
  prompt: string,
  signal: AbortSignal,
): Promise<void> {
  const { contextText } = chatWrapper.generateContextState({
    chatHistory: [...history, { type: 'user', text: prompt }, { type: 'model', response: [] }],
  });
  // The last token is the chat's to evaluate: its logits pick the first reply token.
  const tokens = contextText.tokenize(model.tokenizer).slice(0, -1);
  signal.throwIfAborted();
  // Keeps what the previous reply on this sequence left in common, drops the rest.
  await sequence.adaptStateToTokens(tokens, false);
  for (let at = sequence.nextTokenIndex; at < tokens.length; at += chunkTokens) {
    signal.throwIfAborted();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(at, at + chunkTokens));
  }
  signal.throwIfAborted();
}
