import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState } from 'react';
import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../../../shared/contract';
import type { HearthClient } from './client';

export const ClientContext = createContext<HearthClient | null>(null);

export function useClient(): HearthClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}

/** The query of one route, cached by route and input (one key for useRoute and prefetching). */
export function routeQuery<R extends RouteName>(client: HearthClient, route: R, input?: RouteInput<R>) {
  return {
    queryKey: [route, input ?? null] as const,
    queryFn: () => (client.invoke as (r: R, i?: RouteInput<R>) => Promise<RouteOutput<R>>)(route, input),
  };
}

/** A query over one route, cached by route and input. */
export function useRoute<R extends RouteName>(
  route: R,
  input?: RouteInput<R>,
): UseQueryResult<RouteOutput<R>> {
  return useQuery(routeQuery(useClient(), route, input));
}

/** The latest payload of an event stream (undefined until the first arrives). */
export function useLatestEvent<E extends EventName>(event: E): EventPayload<E> | undefined {
  const client = useClient();
  const [latest, setLatest] = useState<EventPayload<E>>();
  useEffect(() => client.on(event, setLatest), [client, event]);
  return latest;
}
