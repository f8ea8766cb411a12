import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { FitBadge } from '../../components/FitBadge';
import { FitBreakdown } from '../../components/FitBreakdown';
import { parseMemorySize } from '../../../../shared/domain/format';
import { useClient } from '../../lib/hooks';

const input =
  'w-full rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950';

/** "Will it fit?" for a model file, on this machine or one the user names. */
export function FitCheck(): React.JSX.Element {
  const client = useClient();
  const [modelPath, setModelPath] = useState('');
  const [gpuName, setGpuName] = useState('');
  const [vram, setVram] = useState('');
  const [contextSize, setContextSize] = useState('4096');
  const fit = useMutation({
    mutationFn: () =>
      client.invoke('estimator.fit', {
        modelPath: modelPath.trim(),
        contextSize: Number(contextSize) || undefined,
        gpuName: gpuName.trim() || undefined,
        vramBytes: vram.trim() ? parseMemorySize(vram) : undefined,
      }),
  });
  return (
    <section
      className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900"
      aria-labelledby="fit-title"
    >
      <h2 id="fit-title" className="text-lg font-semibold">
        Will it fit?
      </h2>
      <p className="mb-4 text-sm text-stone-500">
        Check a GGUF model file against this computer, or a GPU you are thinking of buying.
      </p>
      <form
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          fit.mutate();
        }}
      >
        <label className="sm:col-span-2 text-sm">
          Model file
          <input
            className={input}
            value={modelPath}
            onChange={(e) => setModelPath(e.target.value)}
            placeholder="/path/to/model.Q4_K_M.gguf"
            required
            name="modelPath"
          />
        </label>
        <label className="text-sm">
          GPU (optional)
          <input
            className={input}
            value={gpuName}
            onChange={(e) => setGpuName(e.target.value)}
            placeholder="RTX 3060 12 GB, 2x Tesla P40…"
            name="gpuName"
          />
        </label>
        <label className="text-sm">
          VRAM (optional)
          <input
            className={input}
            value={vram}
            onChange={(e) => setVram(e.target.value)}
            placeholder="24GB"
            name="vram"
          />
        </label>
        <label className="text-sm">
          Context (tokens)
          <input
            className={input}
            value={contextSize}
            onChange={(e) => setContextSize(e.target.value)}
            inputMode="numeric"
            name="contextSize"
          />
        </label>
        <div className="flex items-end">
          <button
            type="submit"
            disabled={fit.isPending}
            className="rounded-md bg-ember-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-ember-500 disabled:opacity-50"
          >
            {fit.isPending ? 'Checking…' : 'Check'}
          </button>
        </div>
      </form>
      {fit.isError && (
        <p role="alert" className="mt-4 text-sm text-red-600">
          {fit.error.message}
        </p>
      )}
      {fit.data && (
        <div className="mt-5 space-y-3">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{fit.data.model.name}</span>
            <span className="text-sm text-stone-500">{fit.data.model.quant}</span>
            <FitBadge fit={fit.data} />
          </div>
          <FitBreakdown fit={fit.data} />
        </div>
      )}
    </section>
  );
}
