import { z } from 'zod';
import { AppError } from '../../../shared/contract';
import { conversationExportSchema } from '../../../shared/contract/chats';
import { childrenByParent, visibleBranch } from '../../../shared/domain/message-tree';
import type { ChatStore, Conversation, Message, MessageStats } from './chat-store';

type ConversationExport = z.output<typeof conversationExportSchema>;

const safeName = (title: string): string =>
  title
    .replace(/[^\p{L}\p{N} _-]+/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60) || 'conversation';

function toMarkdown(conversation: Conversation, messages: readonly Message[]): string {
  const names = { user: 'You', assistant: 'Assistant', system: 'System' } as const;
  const parts = [`# ${conversation.title}`, ''];
  if (conversation.modelId) parts.push(`Model: \`${conversation.modelId}\``, '');
  if (conversation.systemPrompt) parts.push(`**System prompt**`, '', conversation.systemPrompt, '');
  // The branch the user sees by default: the newest version at each step.
  for (const { message: m } of visibleBranch(messages)) {
    parts.push(`## ${names[m.role]}`, '');
    if (m.thought) parts.push('<details><summary>Thinking</summary>', '', m.thought, '', '</details>', '');
    parts.push(m.content, '');
    if (m.status === 'stopped' || m.status === 'interrupted') parts.push(`_(${m.status})_`, '');
  }
  return parts.join('\n');
}

export function exportConversation(
  store: ChatStore,
  conversationId: string,
  format: 'markdown' | 'json',
): { filename: string; mimeType: string; content: string } {
  const conversation = store.conversation(conversationId);
  if (!conversation) throw new AppError('NOT_FOUND', 'No such conversation');
  const messages = store.messages(conversationId);
  const base = safeName(conversation.title);
  if (format === 'markdown')
    return {
      filename: `${base}.md`,
      mimeType: 'text/markdown',
      content: toMarkdown(conversation, messages),
    };
  const file: ConversationExport = {
    format: 'hearth-conversation',
    version: 1,
    conversation: {
      title: conversation.title,
      modelId: conversation.modelId,
      providerId: conversation.providerId,
      systemPrompt: conversation.systemPrompt,
      params: conversation.params,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
    },
    messages: messages.map((m) => ({
      id: m.id,
      parentId: m.parentId,
      role: m.role,
      content: m.content,
      thought: m.thought,
      status: m.status,
      stats: m.stats,
      createdAt: m.createdAt,
    })),
  };
  return { filename: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(file, null, 2) };
}

/** A JSON export becomes a new conversation with new ids; a bad file is refused whole, nothing half-imported. */
export function importConversation(
  store: ChatStore,
  content: string,
  /** Whether this Hearth knows the provider a file names; an unknown one means this machine. */
  knowsProvider: (id: string) => boolean = () => false,
): Conversation {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    throw new AppError('BAD_INPUT', 'This file is not JSON: export a conversation from Hearth as JSON first');
  }
  const parsed = conversationExportSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'BAD_INPUT',
      `This is not a Hearth conversation export: ${parsed.error.issues[0]?.path.join('.') || 'file'}: ${parsed.error.issues[0]?.message}`,
    );
  const file = parsed.data;
  const ids = new Set(file.messages.map((m) => m.id));
  for (const m of file.messages)
    if (m.parentId !== null && !ids.has(m.parentId))
      throw new AppError('BAD_INPUT', `Message ${m.id} answers a message that is not in the file`);
  return store.transaction(() => {
    const { providerId } = file.conversation;
    const conversation = store.createConversation({
      ...file.conversation,
      providerId: providerId !== null && knowsProvider(providerId) ? providerId : null,
    });
    const children = childrenByParent(file.messages);
    // Parents before children, whatever order the file lists them in; a loop never reaches a root.
    const queue: Array<{ oldId: string | null; newId: string | null }> = [{ oldId: null, newId: null }];
    let imported = 0;
    for (let i = 0; i < queue.length; i++) {
      const next = queue[i]!;
      for (const m of children.get(next.oldId) ?? []) {
        const added = store.addMessage({
          conversationId: conversation.id,
          parentId: next.newId,
          role: m.role,
          content: m.content,
          thought: m.thought,
          // A reply that was streaming when exported can no longer finish.
          status: m.status === 'streaming' ? 'interrupted' : m.status,
          stats: m.stats as MessageStats | null,
          createdAt: m.createdAt,
        });
        imported++;
        queue.push({ oldId: m.id, newId: added.id });
      }
    }
    if (imported !== file.messages.length)
      throw new AppError('BAD_INPUT', 'Some messages in this file form a loop or repeat an id');
    return store.conversation(conversation.id)!;
  });
}
