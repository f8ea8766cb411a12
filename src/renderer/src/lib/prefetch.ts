import type { QueryClient } from '@tanstack/react-query';
import type { HearthClient } from './client';
import { routeQuery } from './hooks';

/**
 * Asks for what the first page waits on: the library (which page the root opens on) and, for the
 * chat, the conversations and the one in the address. Resolves when the page can show (the
 * messages may come later: the composer does not wait for them).
 */
export function prefetchFirstPage(
  queryClient: QueryClient,
  client: HearthClient,
  hash: string,
): Promise<unknown> {
  const route = hash.replace(/^#\/?/, '').split(/[?&]/)[0] ?? '';
  const library = queryClient.prefetchQuery(routeQuery(client, 'library.list'));
  if (route !== '' && route !== 'chat' && !route.startsWith('chat/')) return library;
  const chats = queryClient.prefetchQuery(routeQuery(client, 'chats.list'));
  const conversationId = route.startsWith('chat/') ? decodeURIComponent(route.slice('chat/'.length)) : '';
  if (conversationId)
    void queryClient.prefetchQuery({
      // ChatView's key for them.
      queryKey: ['chats.messages', conversationId],
      queryFn: () => client.invoke('chats.messages', { conversationId }),
    });
  return Promise.all([library, chats]);
}
