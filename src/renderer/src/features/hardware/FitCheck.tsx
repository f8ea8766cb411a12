import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { RouteInput } from '../../../../shared/contract';
import { formatBytes, parseMemorySize } from '../../../../shared/domain/format';
import { parseModelRef, type ModelRef } from '../../../../shared/domain/model-ref';
import { useClient, useRoute } from '../../lib/hooks';
import { cpuNameMax, fieldClass as input, MachineFields, SourcePicker, type FitSource } from './FitFields';
import { FitResult } from './FitResult';
import { FitSettings } from './FitSettings';
import { defaultFitSettings, fitSettingsInput } from './fit-settings';
import { HubFit } from './HubFit';

type HubFitSettings = NonNullable<RouteInput<'hub.model'>['fit']>;

/** A CPU description the form refuses before asking. */
class CpuNameError extends Error {}

/** "Will it fit?" for an installed model, a Hugging Face repo's quant, or a file path; here or elsewhere. */
export function FitCheck(): React.JSX.Element {
  const client = useClient();
  const library = useRoute('library.list');
  const installed = library.data?.filter((m) => !m.error) ?? [];
  const [chosen, setChosen] = useState<FitSource>();
  // Until the user picks, the installed models come first when there are any.
  const source = chosen ?? (installed.length > 0 ? 'installed' : 'path');
  const [modelId, setModelId] = useState('');
  const [modelPath, setModelPath] = useState('');
  const [hubText, setHubText] = useState('');
  const [hubTarget, setHubTarget] = useState<ModelRef>();
  const [hubError, setHubError] = useState('');
  const [machine, setMachine] = useState({ gpuName: '', vram: '', cpuName: '', contextSize: '4096' });
  const [settings, setSettings] = useState(defaultFitSettings);
  // The settings a Hub check ran with: the quants table asks again when they change.
  const [hubSettings, setHubSettings] = useState<HubFitSettings>();
  /** The form's machine and settings as the routes take them; throws what is wrong with them. */
  const checkedSettings = () => {
    const checked = fitSettingsInput(settings);
    if ('error' in checked) throw new Error(checked.error);
    const cpuName = machine.cpuName.trim();
    if (cpuName.length > cpuNameMax) throw new CpuNameError(`CPU: at most ${cpuNameMax} characters`);
    return {
      ...checked.input,
      contextSize: Number(machine.contextSize) || undefined,
      gpuName: machine.gpuName.trim() || undefined,
      vramBytes: machine.vram.trim() ? parseMemorySize(machine.vram) : undefined,
      // Parsed where the CLI's --cpu is: one rule for what a CPU description means.
      cpuName: cpuName || undefined,
    };
  };
  const fit = useMutation({
    mutationFn: (model: Pick<RouteInput<'estimator.fit'>, 'modelId' | 'modelPath'>) =>
      client.invoke('estimator.fit', { ...model, ...checkedSettings() }),
  });
  // A CPU the estimator does not know belongs under its field, not under the form.
  const cpuError =
    fit.error &&
    (fit.error instanceof CpuNameError ||
      (machine.cpuName.trim() && /^Unknown CPU\b/.test(fit.error.message)))
      ? fit.error.message
      : undefined;
  const pickedId = installed.some((m) => m.id === modelId) ? modelId : installed[0]?.id;

  const check = (): void => {
    if (source === 'installed') return pickedId ? fit.mutate({ modelId: pickedId }) : undefined;
    if (source === 'path') return fit.mutate({ modelPath: modelPath.trim() });
    const ref = parseModelRef(hubText);
    let hubFit: HubFitSettings;
    try {
      // No projector for a Hub quant: Hearth downloads the model's own file, never an mmproj beside it.
      const { projector: _projector, ...rest } = checkedSettings();
      hubFit = rest;
    } catch (error) {
      setHubTarget(undefined);
      return setHubError(error instanceof Error ? error.message : String(error));
    }
    setHubError(
      ref.repo.includes('/') ? '' : 'Write the repo as owner/name, or owner/name:Q4_K_M for one quant',
    );
    setHubSettings(hubFit);
    setHubTarget(ref.repo.includes('/') ? ref : undefined);
  };
  const choose = (next: FitSource): void => {
    setChosen(next);
    fit.reset();
  };

  return (
    <section
      className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900"
      aria-labelledby="fit-title"
    >
      <h2 id="fit-title" className="text-lg font-semibold">
        Will it fit?
      </h2>
      <p className="mb-4 text-sm text-stone-500">
        Check a model you have, one on Hugging Face, or a GGUF file, against this computer or a GPU you are
        thinking of buying.
      </p>
      <SourcePicker source={source} onChange={choose} />
      <form
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          check();
        }}
      >
        {source === 'installed' && (
          <label className="sm:col-span-2 text-sm">
            Installed model
            <select
              className={input}
              value={pickedId ?? ''}
              onChange={(e) => setModelId(e.target.value)}
              disabled={installed.length === 0}
              name="modelId"
            >
              {installed.length === 0 && <option value="">No models installed yet</option>}
              {installed.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {m.quant ? ` · ${m.quant}` : ''} · {formatBytes(m.sizeBytes)}
                </option>
              ))}
            </select>
          </label>
        )}
        {source === 'hub' && (
          <label className="sm:col-span-2 text-sm">
            Hugging Face repo
            <input
              className={input}
              value={hubText}
              onChange={(e) => setHubText(e.target.value)}
              placeholder="Qwen/Qwen3-8B-GGUF:Q4_K_M"
              required
              name="hubRepo"
            />
            <span className="text-xs text-stone-500">
              Checked with the machine and settings below by reading each file&apos;s header; nothing is
              downloaded. Leave out the quant to see them all.
            </span>
          </label>
        )}
        {source === 'path' && (
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
        )}
        <MachineFields values={machine} onChange={setMachine} cpuError={cpuError} />
        <FitSettings values={settings} onChange={setSettings} projector={source !== 'hub'} />
        <div className="flex items-end">
          <button
            type="submit"
            disabled={fit.isPending || (source === 'installed' && !pickedId)}
            className="rounded-md bg-ember-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-ember-500 disabled:opacity-50"
          >
            {fit.isPending ? 'Checking…' : 'Check'}
          </button>
        </div>
      </form>
      {source === 'hub' ? (
        <>
          {hubError && (
            <p role="alert" className="mt-4 text-sm text-red-600">
              {hubError}
            </p>
          )}
          {hubTarget && (
            <HubFit
              target={hubTarget}
              settings={hubSettings}
              onPickQuant={(quant) => {
                setHubText(`${hubTarget.repo}:${quant}`);
                setHubTarget({ repo: hubTarget.repo, quant });
              }}
            />
          )}
        </>
      ) : (
        <>
          {fit.isError && !cpuError && (
            <p role="alert" className="mt-4 text-sm text-red-600">
              {fit.error.message}
            </p>
          )}
          {fit.data && <FitResult fit={fit.data} />}
        </>
      )}
    </section>
  );
}
