import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, ErrorText } from '../../components/ui';
import { useClient } from '../../lib/hooks';

/** Brings a GGUF from elsewhere on this computer into the library (copied, or linked to save space). */
export function ImportModel(): React.JSX.Element {
  const client = useClient();
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<'copy' | 'link'>('copy');
  const add = useMutation({
    mutationFn: () => client.invoke('library.import', { path: path.trim(), mode }),
    onSuccess: () => setPath(''),
  });
  return (
    <Card>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <input
          aria-label="GGUF file to import"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/path/to/model.gguf"
          className="min-w-64 flex-1 rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950"
        />
        <select
          aria-label="Import mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as 'copy' | 'link')}
          className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950"
        >
          <option value="copy">Copy</option>
          <option value="link">Link (no copy)</option>
        </select>
        <Button type="submit" disabled={!path.trim() || add.isPending}>
          Import
        </Button>
      </form>
      <ErrorText error={add.error} />
    </Card>
  );
}
