import { FileDown, X } from 'lucide-react';
import { browserDropMessage, useModelDrop, type DropEntry } from '../features/models/use-model-drop';
import { desktopBridge } from '../lib/desktop';

const tone: Record<DropEntry['status'], string> = {
  importing: 'text-stone-600 dark:text-stone-300',
  done: 'text-emerald-700 dark:text-emerald-400',
  failed: 'text-red-600 dark:text-red-400',
};

/** A .gguf dropped anywhere on the window is imported (desktop); the browser explains why it cannot. */
export function ModelDropZone(): React.JSX.Element {
  const desktop = desktopBridge();
  const { dragging, entries, dismiss } = useModelDrop(desktop);
  const busy = entries.some((e) => e.status === 'importing');
  return (
    <>
      {dragging && (
        <div
          data-testid="drop-overlay"
          className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-stone-900/40 p-8"
        >
          <div className="max-w-md rounded-2xl border-2 border-dashed border-ember-500 bg-white p-8 text-center shadow-xl dark:bg-stone-900">
            <FileDown className="mx-auto mb-3 size-10 text-ember-500" aria-hidden />
            {desktop ? (
              <>
                <p className="text-lg font-semibold">Drop a .gguf file to add it to your models</p>
                <p className="text-sm text-stone-500">It is copied into Hearth&apos;s models folder.</p>
              </>
            ) : (
              <p className="text-sm">{browserDropMessage}</p>
            )}
          </div>
        </div>
      )}
      {entries.length > 0 && (
        <section
          aria-label="Model import"
          data-testid="drop-feedback"
          className="fixed right-4 bottom-4 z-40 w-96 space-y-1 rounded-xl border border-stone-200 bg-white p-3 text-sm shadow-lg dark:border-stone-800 dark:bg-stone-900"
        >
          <div className="flex items-center justify-between">
            <h2 className="font-semibold">Import</h2>
            {!busy && (
              <button type="button" aria-label="Close" onClick={dismiss} className="rounded p-1">
                <X className="size-4" aria-hidden />
              </button>
            )}
          </div>
          <ul role="status" className="space-y-1">
            {entries.map((e) => (
              <li key={e.key} data-status={e.status} className={tone[e.status]}>
                <span className="font-medium break-all">{e.name}</span>: {e.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
