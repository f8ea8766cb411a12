import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiRequestEntry } from '../../../../shared/contract';
import { useClient, useRoute } from '../../lib/hooks';

/** Kept in the page as the server keeps it: the last few hundred. */
const KEEP = 200;

/** The API's recent requests, oldest first, with each new one appended as its event arrives. */
export function useRequestLog(): ApiRequestEntry[] | undefined {
  const client = useClient();
  const queryClient = useQueryClient();
  const requests = useRoute('server.requests');
  useEffect(
    () =>
      client.on('server.request', (entry) =>
        queryClient.setQueryData<ApiRequestEntry[]>(['server.requests', null], (list) =>
          [...(list ?? []), entry].slice(-KEEP),
        ),
      ),
    [client, queryClient],
  );
  return requests.data;
}
