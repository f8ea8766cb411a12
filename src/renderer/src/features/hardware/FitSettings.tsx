import type { KvCacheType } from '../../../../shared/contract';
import { fieldClass } from './FitFields';
import type { FitSettingsValues } from './fit-settings';

/** Every setting the memory answer depends on, for the fit check. */
export function FitSettings({
  values,
  onChange,
  projector = true,
}: {
  values: FitSettingsValues;
  onChange(values: FitSettingsValues): void;
  /** false: no projector choice (a Hub quant is downloaded without one). */
  projector?: boolean;
}): React.JSX.Element {
  const text = (key: 'gpus' | 'gpuLayers' | 'batchSize' | 'parallel') => ({
    className: fieldClass,
    value: values[key],
    name: key,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...values, [key]: e.target.value }),
  });
  return (
    <>
      <label className="text-sm">
        Free memory per GPU
        <input {...text('gpus')} placeholder="24GB,12GB" />
      </label>
      <label className="text-sm">
        GPU layers
        <input {...text('gpuLayers')} inputMode="numeric" placeholder="most that fit" />
      </label>
      <label className="text-sm">
        KV cache
        <select
          className={fieldClass}
          name="kvCacheType"
          value={values.kvCacheType}
          onChange={(e) => onChange({ ...values, kvCacheType: e.target.value as KvCacheType })}
        >
          <option value="f16">f16</option>
          <option value="q8_0">q8_0</option>
          <option value="q4_0">q4_0</option>
        </select>
      </label>
      <label className="text-sm">
        Flash attention
        <select
          className={fieldClass}
          name="flashAttention"
          value={values.flashAttention}
          onChange={(e) =>
            onChange({ ...values, flashAttention: e.target.value as FitSettingsValues['flashAttention'] })
          }
        >
          <option value="auto">auto</option>
          <option value="on">on</option>
          <option value="off">off</option>
        </select>
      </label>
      <label className="text-sm">
        Micro-batch (tokens)
        <input {...text('batchSize')} inputMode="numeric" placeholder="512" />
      </label>
      <label className="text-sm">
        Parallel sequences
        <input {...text('parallel')} inputMode="numeric" />
      </label>
      {projector && (
        <label className="flex items-center gap-2 text-sm sm:col-span-2">
          <input
            type="checkbox"
            name="projector"
            checked={values.projector}
            onChange={(e) => onChange({ ...values, projector: e.target.checked })}
          />
          Count a vision projector (mmproj) found next to the model
        </label>
      )}
    </>
  );
}
