import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorText } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';

/**
 * Shown when the chat database could not be read at start: where the damaged file went (it is
 * never deleted), and the copies to bring the chats back from, newest first.
 */
export function HealthBanner(): React.JSX.Element | null {
  const client = useClient();
  const queryClient = useQueryClient();
  const health = useRoute('chats.health');
  const [hidden, setHidden] = useState(false);
  const [choice, setChoice] = useState<string>();
  const restore = useMutation({
    mutationFn: (path: string) => client.invoke('chats.restoreBackup', { path }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['chats.list'] }),
  });
  const recovered = health.data?.recovered;
  const backups = health.data?.backups ?? [];
  const chosen = backups.find((b) => b.path === choice) ?? backups[0];
  const when = (at: number): string => new Date(at).toLocaleString();
  if (!recovered || hidden) return null;
  return (
    <div
      role="alert"
      className="flex items-start justify-between gap-4 bg-amber-100 px-4 py-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
    >
      <span className="space-y-1">
        <span className="block">
          Your chat history could not be read ({recovered.reason}). It was kept, untouched, at{' '}
          <code className="break-all">{recovered.movedTo}</code>, and Hearth started a new one.
        </span>
        {chosen && !restore.data && (
          <span className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              className="font-semibold underline"
              disabled={restore.isPending}
              onClick={() => restore.mutate(chosen.path)}
            >
              Restore the copy from {when(chosen.at)}
            </button>
            {backups.length > 1 && (
              <select
                aria-label="Copy to restore"
                value={chosen.path}
                onChange={(e) => setChoice(e.target.value)}
                className="rounded border border-amber-300 bg-transparent px-1 text-xs dark:border-amber-700"
              >
                {backups.map((b) => (
                  <option key={b.path} value={b.path}>
                    {when(b.at)}
                  </option>
                ))}
              </select>
            )}
          </span>
        )}
        {restore.data && (
          <span className="block">
            Restored {restore.data.conversations} conversation(s) from the backup.
          </span>
        )}
        <ErrorText error={restore.error} />
      </span>
      <button type="button" className="shrink-0 underline" onClick={() => setHidden(true)}>
        Dismiss
      </button>
    </div>
  );
}
