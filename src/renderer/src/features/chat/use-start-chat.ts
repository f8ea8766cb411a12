import { useMutation } from '@tanstack/react-query';
import type { RouteOutput } from '../../../../shared/contract';
import { useClient } from '../../lib/hooks';
import type { ChatSettingsValue } from './ChatSettings';

type Conversation = RouteOutput<'chats.list'>[number];
type Sent = RouteOutput<'chats.send'>;

/**
 * A new chat is stored by its first message: create, apply the settings chosen meanwhile, send. If
 * the send fails the conversation is deleted again, so an empty one never shows up in the list.
 */
export function useStartChat(onStarted: (conversation: Conversation, sent: Sent) => void) {
  const client = useClient();
  return useMutation({
    mutationFn: async (input: {
      content: string;
      modelId: string | null;
      /** Another machine's provider id; null is this machine. */
      providerId?: string | null;
      settings: ChatSettingsValue;
    }) => {
      const { content, modelId, settings } = input;
      let conversation = await client.invoke('chats.create', {
        modelId: modelId ?? undefined,
        ...(input.providerId ? { providerId: input.providerId } : {}),
      });
      try {
        // One update with both: an update without the system prompt clears it (the service's patch).
        if (settings.systemPrompt || Object.values(settings.params).some((v) => v !== undefined))
          conversation = await client.invoke('chats.update', {
            conversationId: conversation.id,
            systemPrompt: settings.systemPrompt ?? '',
            params: settings.params,
          });
        const sent = await client.invoke('chats.send', {
          conversationId: conversation.id,
          content,
          parentId: null,
        });
        return { conversation, sent };
      } catch (error) {
        await client.invoke('chats.delete', { conversationId: conversation.id }).catch(() => undefined);
        throw error;
      }
    },
    onSuccess: ({ conversation, sent }) => onStarted(conversation, sent),
  });
}
