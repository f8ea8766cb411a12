import { AppError, type EventPayload } from '../../../shared/contract';
import type { ChatMessage, Sampling } from '../../engine-process/protocol';
import type { Engine } from '../engine/engine-pool';
import type { RemoteTarget } from '../providers/provider-service';
import type { ChatStore, Conversation, ConversationPatch, Message } from './chat-store';
import { createReplyRouter, ReplyInterrupted, type ReplyRouter } from './reply-router';

export interface ChatServiceOptions {
  store: ChatStore;
  engine: Engine;
  /** Loads the conversation's model unless it is in memory; resolves with its path. */
  ensureModel: (modelId: string) => Promise<string>;
  /** Remote providers by id (throws NOT_FOUND for one removed); absent: this machine only. */
  remote?: (providerId: string | null) => RemoteTarget | undefined;
  emit: {
    delta: (delta: EventPayload<'chats.delta'>) => void;
    message: (message: EventPayload<'chats.message'>) => void;
  };
  /** How often a growing reply is written to disk: at most this much of it is ever lost. */
  saveEveryMs?: number;
}

const newChatTitle = 'New chat';

/** A conversation is named after its first question, as ChatGPT does, until the user renames it. */
export const titleFrom = (content: string): string => {
  const line = content.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || newChatTitle;
};

const defaults: Sampling = { temperature: 0.7, maxTokens: 2048, stop: [] };

/** Conversations with the engine: each reply is saved as it grows, streamed as events, and can be stopped. */
export class ChatService {
  private readonly running = new Map<string, AbortController>();
  private readonly reply: ReplyRouter;

  constructor(private readonly options: ChatServiceOptions) {
    this.reply = createReplyRouter(options);
  }

  private store(): ChatStore {
    return this.options.store;
  }

  /** The path from the root to `messageId`, as the model sees it (system prompt first). */
  private history(conversationId: string, messageId: string | null): ChatMessage[] {
    const all = new Map(
      this.store()
        .messages(conversationId)
        .map((m) => [m.id, m]),
    );
    const path: Message[] = [];
    for (let id = messageId; id; id = all.get(id)?.parentId ?? null) {
      const message = all.get(id);
      if (!message) break;
      path.unshift(message);
    }
    const conversation = this.store().conversation(conversationId);
    const system = conversation?.systemPrompt
      ? [{ role: 'system' as const, content: conversation.systemPrompt }]
      : [];
    return [
      ...system,
      ...path.filter((m) => m.status !== 'error').map((m) => ({ role: m.role, content: m.content })),
    ];
  }

  async send(input: {
    conversationId: string;
    content: string;
    parentId?: string | null;
    sampling?: Partial<Sampling>;
  }): Promise<{ user: Message; reply: Message }> {
    const conversation = this.store().conversation(input.conversationId);
    if (!conversation) throw new AppError('NOT_FOUND', 'No such conversation');
    const parentId = input.parentId === undefined ? this.lastMessageId(input.conversationId) : input.parentId;
    // An answer to a message of another conversation would tie two trees together.
    if (parentId !== null && this.store().message(parentId).conversationId !== conversation.id)
      throw new AppError('NOT_FOUND', 'No such message in this conversation');
    const user = this.store().addMessage({
      conversationId: conversation.id,
      parentId,
      role: 'user',
      content: input.content,
      status: 'done',
    });
    if (parentId === null && conversation.title === newChatTitle)
      this.store().updateConversation(conversation.id, { title: titleFrom(input.content) });
    const reply = this.startReply(conversation, user.id, input.sampling);
    return { user, reply };
  }

  /** A new answer to the same question: a sibling of the old one. */
  regenerate(messageId: string, sampling?: Partial<Sampling>): Message {
    const old = this.store().message(messageId);
    if (old.role !== 'assistant' || !old.parentId)
      throw new AppError('BAD_INPUT', 'Only a reply can be regenerated');
    const conversation = this.store().conversation(old.conversationId);
    if (!conversation) throw new AppError('NOT_FOUND', 'No such conversation');
    return this.startReply(conversation, old.parentId, sampling);
  }

  stop(messageId: string): { stopped: boolean } {
    const controller = this.running.get(messageId);
    controller?.abort();
    return { stopped: !!controller };
  }

  private lastMessageId(conversationId: string): string | null {
    return this.store().messages(conversationId).at(-1)?.id ?? null;
  }

  private startReply(conversation: Conversation, parentId: string, sampling?: Partial<Sampling>): Message {
    const modelId = conversation.modelId;
    if (!modelId) throw new AppError('BAD_INPUT', 'Pick a model for this conversation first');
    const reply = this.store().addMessage({
      conversationId: conversation.id,
      parentId,
      role: 'assistant',
      content: '',
      status: 'streaming',
    });
    // The conversation's own settings, then what this one request asks for.
    void this.generate(conversation, reply, modelId, { ...defaults, ...conversation.params, ...sampling });
    return reply;
  }

  private async generate(
    conversation: Conversation,
    reply: Message,
    modelId: string,
    sampling: Sampling,
  ): Promise<void> {
    const controller = new AbortController();
    this.running.set(reply.id, controller);
    let text = '';
    let thought = '';
    let dirty = false;
    const save = (): void => {
      if (!dirty) return;
      dirty = false;
      this.store().updateMessage(reply.id, { content: text, thought });
    };
    const timer = setInterval(save, this.options.saveEveryMs ?? 250);
    let final: Message;
    try {
      // This machine's engine or a remote provider: the conversation says which.
      const result = await this.reply(
        conversation,
        modelId,
        { messages: this.history(reply.conversationId, reply.parentId), sampling },
        (chunk, segment) => {
          if (segment === 'thought') thought += chunk;
          else text += chunk;
          dirty = true;
          this.options.emit.delta({ messageId: reply.id, text: chunk, segment });
        },
        controller.signal,
      );
      final = this.store().updateMessage(reply.id, {
        content: result.text,
        thought: result.thought,
        status: result.stopReason === 'abort' ? 'stopped' : 'done',
        // The engine says why a reply is cut or empty; a user never sees an unexplained empty reply.
        stats: result.notice ? { ...result.stats, notice: result.notice } : result.stats,
      });
    } catch (error) {
      // The reply keeps what arrived; the error says why it ended (and which machine failed).
      final = this.store().updateMessage(reply.id, {
        content: text,
        thought,
        status: error instanceof ReplyInterrupted ? 'interrupted' : 'error',
        stats: { error: (error as Error).message },
      });
    } finally {
      clearInterval(timer);
      this.running.delete(reply.id);
    }
    this.options.emit.message(final);
  }

  /** Waits for every reply in progress to end (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 20));
  }

  /** 'local' is stored as null (this machine); another id must name a provider that exists. */
  private providerOf(providerId: string | null | undefined): string | null | undefined {
    if (providerId === undefined || providerId === null || providerId === 'local')
      return providerId === undefined ? undefined : null;
    if (!this.options.remote) throw new AppError('BAD_INPUT', 'Other machines are not available here');
    this.options.remote(providerId);
    return providerId;
  }

  update(conversationId: string, patch: ConversationPatch): Conversation {
    if (!this.store().conversation(conversationId)) throw new AppError('NOT_FOUND', 'No such conversation');
    return this.store().updateConversation(conversationId, {
      ...patch,
      providerId: this.providerOf(patch.providerId),
      // An empty system prompt means none; a patch without one (a rename) keeps it.
      ...(patch.systemPrompt !== undefined && { systemPrompt: patch.systemPrompt || null }),
    });
  }

  newConversation(input: {
    title?: string;
    modelId?: string;
    providerId?: string | null;
    systemPrompt?: string;
  }) {
    return this.store().createConversation({
      title: input.title ?? newChatTitle,
      modelId: input.modelId,
      providerId: this.providerOf(input.providerId),
      systemPrompt: input.systemPrompt,
    });
  }
}
