import { QueryClient } from '@tanstack/react-query';
import { createClient } from './client';
import { prefetchFirstPage } from './prefetch';
import { pickTransport } from './transport/pick-transport';

// main.tsx imports this module first: the first page's requests leave before React and the app are
// evaluated, and travel meanwhile.
export const transport = pickTransport(window);
export const client = createClient(transport.bridge);
export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

/**
 * The first render waits for that data (150 ms at most, for a slow server on the LAN): the first
 * paint is then the page ready to type in, one render, instead of an empty shell rendered again.
 */
export const firstPageReady = Promise.race([
  prefetchFirstPage(queryClient, client, window.location.hash),
  new Promise((resolve) => setTimeout(resolve, 150)),
]);
