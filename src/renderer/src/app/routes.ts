/** The pages of the navigation, in its order. */
export const pageIds = [
  'home',
  'chat',
  'discover',
  'models',
  'downloads',
  'hardware',
  'server',
  'providers',
  'settings',
] as const;

export type PageId = (typeof pageIds)[number];

/** What a hash route shows: a page, with the conversation (#/chat/<id>) or the model (#/model/<repo>) it names. */
export type Resolved =
  | { page: 'chat'; conversationId: string | null }
  | { page: 'discover'; repo: string }
  | { page: Exclude<PageId, 'chat'> };

/**
 * The root route ('') is the first run's welcome page until a model is installed, then the chat;
 * `hasModel` is undefined while the library is still being read.
 */
export function resolveRoute(route: string, hasModel: boolean | undefined): Resolved | null {
  if (route.startsWith('model/')) return { page: 'discover', repo: decodeURIComponent(route.slice(6)) };
  if (route.startsWith('chat/')) return { page: 'chat', conversationId: decodeURIComponent(route.slice(5)) };
  if (route === '') {
    if (hasModel === undefined) return null;
    return hasModel ? { page: 'chat', conversationId: null } : { page: 'home' };
  }
  const page = pageIds.find((id) => id === route) ?? 'home';
  return page === 'chat' ? { page, conversationId: null } : { page };
}
