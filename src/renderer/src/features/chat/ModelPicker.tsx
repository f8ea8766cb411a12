import { ChevronDown } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { RouteOutput } from '../../../../shared/contract';
import { FitBadge } from '../../components/FitBadge';
import { useRoute } from '../../lib/hooks';
import { MachineFitBadge, NoFitData } from '../providers/MachineFitBadge';
import { useRemoteGroups, type MachineGroup } from '../providers/use-providers';

type LibraryModel = RouteOutput<'library.list'>[number];

function ModelFit({ model }: { model: LibraryModel }): React.JSX.Element | null {
  const fit = useRoute('estimator.fit', { modelPath: model.path });
  return fit.data ? <FitBadge fit={fit.data} /> : null;
}

/** A remote model's fit, from its own machine: another Hearth's verdict, or none (Ollama, OpenAI). */
function RemoteFit({ group, modelId }: { group: MachineGroup; modelId: string }): React.JSX.Element | null {
  if (group.provider.kind !== 'hearth') return <NoFitData />;
  const fit = group.fits?.get(modelId)?.fit;
  return fit ? <MachineFitBadge fit={fit} /> : null;
}

/** Another Hearth knows its models' names (its OpenAI list gives only ids). */
const nameIn = (group: MachineGroup | undefined, model: { id: string; name: string }): string =>
  group?.fits?.get(model.id)?.name ?? model.name;

const isRemote = (providerId: string | null): providerId is string =>
  providerId !== null && providerId !== 'local';

const optionClass = (selected: boolean, disabled = false): string =>
  `flex cursor-pointer items-center justify-between gap-2 rounded-md px-3 py-2 text-sm ${selected ? 'bg-stone-100 dark:bg-stone-800' : 'hover:bg-stone-50 dark:hover:bg-stone-800/60'} ${disabled ? 'cursor-not-allowed opacity-50' : ''}`;

function Option({
  selected,
  disabled = false,
  onPick,
  onClose,
  children,
}: {
  selected: boolean;
  disabled?: boolean;
  onPick: () => void;
  onClose: () => void;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <li
      role="option"
      aria-selected={selected}
      aria-disabled={disabled}
      tabIndex={0}
      onClick={() => !disabled && onPick()}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !disabled) onPick();
        if (e.key === 'Escape') onClose();
      }}
      className={optionClass(selected, disabled)}
    >
      {children}
    </li>
  );
}

function GroupLabel({ children }: { children: React.ReactNode }): React.JSX.Element {
  return (
    <div className="px-3 pt-2 pb-1 text-[11px] font-semibold tracking-wide text-stone-500 uppercase">
      {children}
    </div>
  );
}

/**
 * Which model answers in this conversation, grouped by machine: this machine's models first, then
 * each provider's, each with its fit badge from the machine it runs on.
 */
export function ModelPicker({
  models,
  value,
  providerId = null,
  onChange,
}: {
  models: LibraryModel[];
  value: string | null;
  /** The machine the model runs on: null (or 'local') is this one. */
  providerId?: string | null;
  onChange: (modelId: string, providerId: string | null) => void;
}): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // Remote lists are read when the picker opens, or to name a remote model already chosen.
  const groups = useRemoteGroups(open || isRemote(providerId));
  const remoteGroup = isRemote(providerId) ? groups.find((g) => g.provider.id === providerId) : undefined;
  const current = isRemote(providerId) ? undefined : models.find((m) => m.id === value);
  const remoteCurrent = remoteGroup?.models.find((m) => m.id === value);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const pick = (modelId: string, provider: string | null): void => {
    onChange(modelId, provider);
    setOpen(false);
  };
  const label = isRemote(providerId)
    ? value
      ? `${remoteCurrent ? nameIn(remoteGroup, remoteCurrent) : value} · ${remoteGroup?.provider.name ?? 'another machine'}`
      : 'Pick a model'
    : (current?.name ?? (value ? 'Model not installed' : 'Pick a model'));
  const grouped = groups.length > 0;
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
        <span data-testid="current-model">{label}</span>
        {current && <ModelFit model={current} />}
        {remoteGroup && value && <RemoteFit group={remoteGroup} modelId={value} />}
        <ChevronDown className="size-4" aria-hidden />
      </button>
      {open && (
        <ul
          role="listbox"
          aria-label="Installed models"
          className="absolute right-0 z-20 mt-1 max-h-96 w-[28rem] overflow-y-auto rounded-lg border border-stone-200 bg-white p-1 shadow-lg dark:border-stone-700 dark:bg-stone-900"
        >
          <li role="group" aria-label="This machine">
            {grouped && <GroupLabel>This machine</GroupLabel>}
            <ul>
              {models.map((m) => (
                <Option
                  key={m.id}
                  selected={!isRemote(providerId) && m.id === value}
                  disabled={!!m.error}
                  onPick={() => pick(m.id, null)}
                  onClose={() => setOpen(false)}
                >
                  <span className="min-w-0">
                    <span className="block truncate">{m.name}</span>
                    <span className="block text-xs text-stone-500">
                      {[m.quant, m.source !== 'hearth' ? m.source : null, m.error]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </span>
                  {!m.error && <ModelFit model={m} />}
                </Option>
              ))}
              {models.length === 0 && (
                <li className="px-3 py-2 text-sm text-stone-500">No models installed yet.</li>
              )}
            </ul>
          </li>
          {groups.map((group) => (
            <li
              key={group.provider.id}
              role="group"
              aria-label={group.provider.name}
              data-testid="model-group"
            >
              <GroupLabel>{group.provider.name}</GroupLabel>
              <ul>
                {group.models.map((m) => (
                  <Option
                    key={m.id}
                    selected={providerId === group.provider.id && m.id === value}
                    onPick={() => pick(m.id, group.provider.id)}
                    onClose={() => setOpen(false)}
                  >
                    <span className="min-w-0">
                      <span className="block truncate">{nameIn(group, m)}</span>
                      {m.details && <span className="block text-xs text-stone-500">{m.details}</span>}
                    </span>
                    <RemoteFit group={group} modelId={m.id} />
                  </Option>
                ))}
                {group.loading && (
                  <li className="px-3 py-2 text-xs text-stone-500">Asking {group.provider.name}…</li>
                )}
                {!!group.error && (
                  <li className="px-3 py-2 text-xs text-red-600 dark:text-red-400">
                    {group.error instanceof Error ? group.error.message : String(group.error)}
                  </li>
                )}
                {!group.loading && !group.error && group.models.length === 0 && (
                  <li className="px-3 py-2 text-xs text-stone-500">No models there.</li>
                )}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
