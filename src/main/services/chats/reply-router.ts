import { AppError } from '../../../shared/contract';
import type { ChatMessage, ChatResult, Sampling } from '../../engine-process/protocol';
import type { Engine } from '../engine/engine-pool';
import type { RemoteTarget } from '../providers/provider-service';
import type { Conversation } from './chat-store';

/** A reply cut by a machine that went away: what came is kept, marked interrupted. */
export class ReplyInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyInterrupted';
  }
}

export type ReplyChunk = (text: string, segment: 'text' | 'thought') => void;

export interface ReplyRouterOptions {
  engine: Engine;
  /** Loads the conversation's model unless it is in memory; resolves with its path. */
  ensureModel: (modelId: string) => Promise<string>;
  /** The remote a conversation's provider id names (undefined: this machine). */
  remote?: (providerId: string | null) => RemoteTarget | undefined;
}

/**
 * Sends a conversation's history to the machine it runs on: this machine's engine pool, or a
 * remote provider's client. Both stream through the same chunk callback and end in the same result.
 */
export function createReplyRouter(options: ReplyRouterOptions) {
  return async function reply(
    conversation: Conversation,
    modelId: string,
    request: { messages: ChatMessage[]; sampling: Sampling },
    onChunk: ReplyChunk,
    signal: AbortSignal,
  ): Promise<ChatResult> {
    const remote = conversation.providerId === null ? undefined : options.remote?.(conversation.providerId);
    if (!remote) {
      // A conversation saved for another machine never falls back to this one silently.
      if (conversation.providerId !== null && conversation.providerId !== 'local')
        throw new AppError(
          'NOT_FOUND',
          options.remote
            ? 'The machine this conversation ran on is no longer in Providers: pick a model to go on'
            : 'Other machines are not available here',
        );
      const modelPath = await options.ensureModel(modelId);
      return options.engine.chat(
        request,
        // No tools are offered in app chats: no tool-call chunks come.
        (chunk, segment) => {
          if (segment !== 'toolCall') onChunk(chunk, segment);
        },
        signal,
        modelPath,
      );
    }
    let received = false;
    try {
      return await remote.client.chat(
        { model: modelId, messages: request.messages, sampling: request.sampling },
        (chunk, segment) => {
          received = true;
          onChunk(chunk, segment);
        },
        signal,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (received) throw new ReplyInterrupted(`${remote.label} stopped answering: ${reason}`);
      throw new AppError('NETWORK', `${remote.label} could not answer: ${reason}`);
    }
  };
}

export type ReplyRouter = ReturnType<typeof createReplyRouter>;
