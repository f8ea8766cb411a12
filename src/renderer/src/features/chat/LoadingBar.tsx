import type { RouteOutput } from '../../../../shared/contract';
import { useClient, useLatestEvent, useRoute } from '../../lib/hooks';

/** While the conversation's model loads: how far, and a way out (a 40 GB model takes a while). */
export function LoadingBar({ models }: { models: RouteOutput<'library.list'> }): React.JSX.Element | null {
  const client = useClient();
  const initial = useRoute('engine.status');
  const live = useLatestEvent('engine.status');
  const loading = (live ?? initial.data)?.loading;
  if (!loading) return null;
  const name = models.find((m) => m.path === loading.modelPath)?.name ?? 'the model';
  const percent = Math.round(loading.progress * 100);
  return (
    <div
      className="mx-auto flex w-full max-w-3xl items-center gap-3 px-3 text-xs text-stone-500"
      role="status"
    >
      <span className="shrink-0">
        Loading {name}… {percent}%
      </span>
      <progress
        className="h-1.5 flex-1 accent-ember-600"
        max={100}
        value={percent}
        aria-label="Model loading"
      />
      <button type="button" className="underline" onClick={() => void client.invoke('engine.cancelLoad')}>
        Cancel
      </button>
    </div>
  );
}
