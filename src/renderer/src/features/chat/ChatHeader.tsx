import { SlidersHorizontal } from 'lucide-react';
import type { RouteOutput } from '../../../../shared/contract';
import { ModelPicker } from './ModelPicker';

/** Title, the model that answers (with its fit, switchable even before the first message), export and settings. */
export function ChatHeader({
  title,
  models,
  modelId,
  providerId = null,
  onModel,
  onExport,
  showSettings,
  onToggleSettings,
}: {
  title: string;
  models: RouteOutput<'library.list'>;
  modelId: string | null;
  /** The machine the model runs on (null: this one). */
  providerId?: string | null;
  onModel: (modelId: string, providerId: string | null) => void;
  /** Absent for a new chat: nothing is stored yet. */
  onExport?: (format: 'markdown' | 'json') => void;
  showSettings: boolean;
  onToggleSettings: () => void;
}): React.JSX.Element {
  return (
    <header className="flex items-center gap-2 border-b border-stone-200 px-4 py-2 dark:border-stone-800">
      <h1 className="min-w-0 flex-1 truncate text-sm font-semibold" data-testid="chat-title">
        {title}
      </h1>
      <ModelPicker models={models} value={modelId} providerId={providerId} onChange={onModel} />
      {onExport && (
        <select
          aria-label="Export"
          value=""
          onChange={(e) => e.target.value && onExport(e.target.value as 'markdown' | 'json')}
          className="rounded-md border border-stone-300 bg-transparent px-1 py-1 text-xs dark:border-stone-700"
        >
          <option value="">Export…</option>
          <option value="markdown">Markdown</option>
          <option value="json">JSON</option>
        </select>
      )}
      <button
        type="button"
        aria-label="Chat settings"
        aria-pressed={showSettings}
        onClick={onToggleSettings}
        className="rounded-md p-1.5 hover:bg-stone-100 dark:hover:bg-stone-800"
      >
        <SlidersHorizontal className="size-4" />
      </button>
    </header>
  );
}
