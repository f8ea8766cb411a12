import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, ErrorText } from '../../components/ui';
import { desktopBridge } from '../../lib/desktop';
import { useImportModel, type ImportMode } from './use-import-model';

const field =
  'rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950';

function ModeSelect({
  mode,
  onChange,
}: {
  mode: ImportMode;
  onChange(mode: ImportMode): void;
}): React.JSX.Element {
  return (
    <select
      aria-label="Import mode"
      value={mode}
      onChange={(e) => onChange(e.target.value as ImportMode)}
      className={field}
    >
      <option value="copy">Copy</option>
      <option value="link">Link (no copy)</option>
    </select>
  );
}

/**
 * Brings a GGUF from elsewhere into the library (copied, or linked to save space). The desktop
 * picks it with the system's dialog; a browser types a path, which is on the machine running Hearth.
 */
export function ImportModel(): React.JSX.Element {
  const desktop = desktopBridge();
  const importModel = useImportModel();
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<ImportMode>('copy');
  const add = useMutation({
    // Desktop: the dialog's path (null when cancelled); browser: the typed one.
    mutationFn: async () => {
      const chosen = desktop ? await desktop.pickModelFile() : path.trim();
      return chosen ? importModel(chosen, mode) : null;
    },
    onSuccess: (model) => {
      if (model) setPath('');
    },
  });
  const imported = add.data;
  return (
    <Card aria-labelledby="import-title">
      <h2 id="import-title" className="mb-2 text-sm font-semibold">
        Import a model file
      </h2>
      {desktop ? (
        <div className="flex flex-wrap items-center gap-2">
          <ModeSelect mode={mode} onChange={setMode} />
          <Button onClick={() => add.mutate()} disabled={add.isPending}>
            {add.isPending ? 'Importing…' : 'Import…'}
          </Button>
          <p className="text-sm text-stone-500">or drop a .gguf file anywhere on this window.</p>
        </div>
      ) : (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <input
            aria-label="GGUF file to import"
            aria-describedby="import-where"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/path/to/model.gguf"
            className={`min-w-64 flex-1 ${field}`}
          />
          <ModeSelect mode={mode} onChange={setMode} />
          <Button type="submit" disabled={!path.trim() || add.isPending}>
            {add.isPending ? 'Importing…' : 'Import'}
          </Button>
          <p id="import-where" data-testid="import-where" className="w-full text-xs text-stone-500">
            The path is on the machine running Hearth, not on the device this browser runs on: a browser
            cannot hand Hearth its own files.
          </p>
        </form>
      )}
      {imported && (
        <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-400">
          Added {imported.name} to your models.
        </p>
      )}
      <ErrorText error={add.error} />
    </Card>
  );
}
