export const fieldClass =
  'w-full rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm dark:border-stone-700 dark:bg-stone-950';

export type FitSource = 'installed' | 'hub' | 'path';
const sources: { id: FitSource; label: string }[] = [
  { id: 'installed', label: 'My models' },
  { id: 'hub', label: 'Hugging Face' },
  { id: 'path', label: 'File path' },
];

/** Which model the fit check reads: a segmented radio group. */
export function SourcePicker({
  source,
  onChange,
}: {
  source: FitSource;
  onChange(source: FitSource): void;
}): React.JSX.Element {
  return (
    <fieldset className="mb-4 inline-flex rounded-md border border-stone-300 p-0.5 text-sm dark:border-stone-700">
      <legend className="sr-only">Model to check</legend>
      {sources.map(({ id, label }) => (
        <label
          key={id}
          className={`cursor-pointer rounded px-3 py-1 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ember-500 ${source === id ? 'bg-stone-200 font-medium dark:bg-stone-800' : ''}`}
        >
          <input
            type="radio"
            name="fit-source"
            className="sr-only"
            checked={source === id}
            onChange={() => onChange(id)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

export interface MachineValues {
  gpuName: string;
  vram: string;
  /** A named CPU and its memory, "Ryzen 9 7950X, DDR5-6000 2ch": alone, a CPU-only machine. */
  cpuName: string;
  contextSize: string;
}

/** The longest CPU description the route takes. */
export const cpuNameMax = 100;

/** The machine to plan for (this one when left empty) and the context to plan with. */
export function MachineFields({
  values,
  onChange,
  cpuError,
}: {
  values: MachineValues;
  onChange(values: MachineValues): void;
  /** What is wrong with the CPU description, shown under its field. */
  cpuError?: string;
}): React.JSX.Element {
  // One text field's props, as FitSettings builds them.
  const text = (key: keyof MachineValues) => ({
    className: fieldClass,
    value: values[key],
    name: key,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...values, [key]: e.target.value }),
  });
  return (
    <>
      <label className="text-sm">
        GPU (optional)
        <input {...text('gpuName')} placeholder="RTX 3060 12 GB, 2x Tesla P40…" />
      </label>
      <label className="text-sm">
        VRAM (optional)
        <input {...text('vram')} placeholder="24GB" />
      </label>
      <label className="text-sm">
        CPU and memory (optional)
        <input
          {...text('cpuName')}
          placeholder="Ryzen 9 7950X, DDR5-6000 2ch"
          aria-invalid={cpuError ? true : undefined}
          aria-describedby={cpuError ? 'fit-cpu-error' : undefined}
        />
        {cpuError ? (
          <span id="fit-cpu-error" role="alert" className="text-xs text-red-600">
            {cpuError}
          </span>
        ) : (
          <span className="text-xs text-stone-500">Alone: a CPU-only machine; with a GPU: its host.</span>
        )}
      </label>
      <label className="text-sm">
        Context (tokens)
        <input {...text('contextSize')} inputMode="numeric" />
      </label>
    </>
  );
}
