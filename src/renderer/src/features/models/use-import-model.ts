import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { LibraryModel } from '../../../../shared/contract';
import { useClient } from '../../lib/hooks';

export type ImportMode = 'copy' | 'link';

/**
 * Imports a GGUF by path, however the path came (typed, the file dialog, a drop): main checks it
 * like any client's path. The library list refreshes at once rather than on the next event.
 */
export function useImportModel(): (path: string, mode: ImportMode) => Promise<LibraryModel> {
  const client = useClient();
  const queryClient = useQueryClient();
  return useCallback(
    async (path, mode) => {
      const model = await client.invoke('library.import', { path, mode });
      void queryClient.invalidateQueries({ queryKey: ['library.list'] });
      return model;
    },
    [client, queryClient],
  );
}
