import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { DownloadJob } from '../../../shared/contract';
import { useClient } from './hooks';

/** Keeps the downloads and library queries fresh from backend events (no polling). */
export function useLiveModels(): void {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const offDownloads = client.on('downloads.changed', (job) => {
      queryClient.setQueryData<DownloadJob[]>(['downloads.list', null], (jobs) => {
        if (!jobs) return [job];
        return jobs.some((j) => j.id === job.id)
          ? jobs.map((j) => (j.id === job.id ? job : j))
          : [job, ...jobs];
      });
      if (job.status === 'done') void queryClient.invalidateQueries({ queryKey: ['library.list'] });
    });
    const offLibrary = client.on(
      'library.changed',
      () => void queryClient.invalidateQueries({ queryKey: ['library.list'] }),
    );
    return () => {
      offDownloads();
      offLibrary();
    };
  }, [client, queryClient]);
}
