import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useClient } from '../../lib/hooks';
import type { ChatMessage } from './thread';

/**
 * Streamed text lands in the cached messages 10 times a second however fast tokens come (each
 * update re-renders and repaints the reply; Markdown is re-parsed as often); the final message
 * replaces it. Any cached conversation is kept current, not only the one on screen: the first
 * tokens of a new chat's reply arrive before the page has moved to it.
 */
export function useReplyStream(): void {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    let pending = new Map<string, { text: string; thought: string; since: number }>();
    // Replies that ended before their send returned (a fast error, say): applied once it has.
    const finals = new Map<string, { message: ChatMessage; since: number }>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const replace = (message: ChatMessage): boolean => {
      let found = false;
      queryClient.setQueryData<ChatMessage[]>(['chats.messages', message.conversationId], (all) =>
        all?.map((m) => {
          if (m.id !== message.id) return m;
          found = true;
          return message;
        }),
      );
      return found;
    };
    const flush = (): void => {
      timer = null;
      for (const [id, final] of finals)
        if (replace(final.message) || performance.now() - final.since > 2000) finals.delete(id);
      const batch = pending;
      pending = new Map();
      queryClient.setQueriesData<ChatMessage[]>({ queryKey: ['chats.messages'] }, (all) =>
        all?.some((m) => batch.has(m.id))
          ? all.map((m) => {
              const add = batch.get(m.id);
              if (!add) return m;
              batch.delete(m.id);
              return { ...m, content: m.content + add.text, thought: m.thought + add.thought };
            })
          : all,
      );
      // Text for a reply not in the cache yet (its send has not returned) waits a little; a reply
      // of a conversation not opened in this window is dropped.
      for (const [id, add] of batch) if (performance.now() - add.since < 2000) pending.set(id, add);
      if (pending.size > 0 || finals.size > 0) timer = setTimeout(flush, 100);
    };
    const offDelta = client.on('chats.delta', (delta) => {
      const entry = pending.get(delta.messageId) ?? { text: '', thought: '', since: performance.now() };
      if (delta.segment === 'text') entry.text += delta.text;
      else entry.thought += delta.text;
      pending.set(delta.messageId, entry);
      timer ??= setTimeout(flush, 100);
    });
    const offDone = client.on('chats.message', (message) => {
      pending.delete(message.id);
      if (replace(message)) return;
      finals.set(message.id, { message, since: performance.now() });
      timer ??= setTimeout(flush, 100);
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      offDelta();
      offDone();
    };
  }, [client, queryClient]);
}
