import { ChevronDown } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { RouteOutput } from '../../../../shared/contract';
import { FitBadge } from '../../components/FitBadge';
import { useRoute } from '../../lib/hooks';

type LibraryModel = RouteOutput<'library.list'>[number];

function ModelFit({ model }: { model: LibraryModel }): React.JSX.Element | null {
  const fit = useRoute('estimator.fit', { modelPath: model.path });
  return fit.data ? <FitBadge fit={fit.data} /> : null;
}

/** Which installed model answers in this conversation, each with whether it fits this machine. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: LibraryModel[];
  value: string | null;
  onChange: (modelId: string) => void;
}): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const current = models.find((m) => m.id === value);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="relative" ref={box}>
      <button
        type="button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label="Model"
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm font-medium hover:bg-stone-100 dark:hover:bg-stone-800"
      >
        <span data-testid="current-model">
          {current?.name ?? (value ? 'Model not installed' : 'Pick a model')}
        </span>
        {current && <ModelFit model={current} />}
        <ChevronDown className="size-4" aria-hidden />
      </button>
      {open && (
        <ul
          role="listbox"
          aria-label="Installed models"
          className="absolute left-0 z-20 mt-1 max-h-96 w-[28rem] overflow-y-auto rounded-lg border border-stone-200 bg-white p-1 shadow-lg dark:border-stone-700 dark:bg-stone-900"
        >
          {models.map((m) => (
            <li
              key={m.id}
              role="option"
              aria-selected={m.id === value}
              aria-disabled={!!m.error}
              tabIndex={0}
              onClick={() => {
                if (m.error) return;
                onChange(m.id);
                setOpen(false);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !m.error) {
                  onChange(m.id);
                  setOpen(false);
                }
                if (e.key === 'Escape') setOpen(false);
              }}
              className={`flex cursor-pointer items-center justify-between gap-2 rounded-md px-3 py-2 text-sm ${m.id === value ? 'bg-stone-100 dark:bg-stone-800' : 'hover:bg-stone-50 dark:hover:bg-stone-800/60'} ${m.error ? 'cursor-not-allowed opacity-50' : ''}`}
            >
              <span className="min-w-0">
                <span className="block truncate">{m.name}</span>
                <span className="block text-xs text-stone-500">
                  {[m.quant, m.source !== 'hearth' ? m.source : null, m.error].filter(Boolean).join(' · ')}
                </span>
              </span>
              {!m.error && <ModelFit model={m} />}
            </li>
          ))}
          {models.length === 0 && (
            <li className="px-3 py-2 text-sm text-stone-500">No models installed yet.</li>
          )}
        </ul>
      )}
    </div>
  );
}
