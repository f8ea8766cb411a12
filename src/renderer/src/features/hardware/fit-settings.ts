import type { KvCacheType, RouteInput } from '../../../../shared/contract';
import { parseGpuList } from '../../../../shared/domain/gpu-list';

/** The settings a fit answer depends on, as the fit check's form holds them (text until checked). */
export interface FitSettingsValues {
  /** Free memory per GPU, "24GB,12GB"; empty: the GPUs of the machine checked. */
  gpus: string;
  /** Layers to offload; empty: the most that fit. */
  gpuLayers: string;
  kvCacheType: KvCacheType;
  flashAttention: 'auto' | 'on' | 'off';
  batchSize: string;
  parallel: string;
  projector: boolean;
}

export const defaultFitSettings: FitSettingsValues = {
  gpus: '',
  gpuLayers: '',
  kvCacheType: 'f16',
  flashAttention: 'auto',
  batchSize: '',
  parallel: '1',
  projector: true,
};

type SettingsInput = Pick<
  RouteInput<'estimator.fit'>,
  'gpus' | 'gpuLayers' | 'kvCacheType' | 'flashAttention' | 'batchSize' | 'parallel' | 'projector'
>;

/** A whole number in [min, max] from a field, undefined when empty; an error names the field. */
function whole(text: string, label: string, min: number, max: number): number | undefined | string {
  if (!text.trim()) return undefined;
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : `${label}: a whole number from ${min} to ${max}`;
}

/** The form's settings as the route's input, or what is wrong with them (checked before asking). */
export function fitSettingsInput(values: FitSettingsValues): { input: SettingsInput } | { error: string } {
  const gpus = values.gpus.trim() ? parseGpuList(values.gpus) : undefined;
  if (gpus && !gpus.ok) return { error: `Free memory per GPU: ${gpus.error}` };
  const gpuLayers = whole(values.gpuLayers, 'GPU layers', 0, 100_000);
  const batchSize = whole(values.batchSize, 'Micro-batch', 1, 65_536);
  const parallel = whole(values.parallel, 'Parallel sequences', 1, 64);
  for (const v of [gpuLayers, batchSize, parallel]) if (typeof v === 'string') return { error: v };
  return {
    input: {
      gpus: gpus?.ok ? gpus.bytes : undefined,
      gpuLayers: gpuLayers as number | undefined,
      kvCacheType: values.kvCacheType,
      flashAttention: values.flashAttention,
      batchSize: batchSize as number | undefined,
      parallel: parallel as number | undefined,
      projector: values.projector,
    },
  };
}
