import type { FitEstimate } from '../../shared/contract';

/** More sequences than this rarely help one machine: each takes a full context of memory. */
const maxDefaultParallel = 4;

/**
 * Replies a model can generate at once, by default: one, plus as many more contexts as the memory
 * the estimator says is left beside the model holds (its KV cache is what each sequence adds).
 */
export function defaultParallel(fit: FitEstimate): number {
  let room = maxDefaultParallel - 1;
  // Per GPU where there are several: each holds the KV of its own layers, and the tightest decides.
  const gpus = fit.devices && fit.devices.length > 1 ? fit.devices : [fit.gpu];
  for (const side of [...gpus, fit.ram]) {
    if (side.kvCacheBytes <= 0) continue;
    const left = side.availableBytes - side.headroomBytes - side.totalBytes;
    room = Math.min(room, Math.floor(Math.max(0, left) / side.kvCacheBytes));
  }
  return 1 + Math.max(0, room);
}

export interface ApiLoaderDeps {
  /** The library model's file, for the estimate. */
  modelPath: (modelId: string) => Promise<string>;
  fit: (modelPath: string) => Promise<FitEstimate>;
  /** The user's per-model setting, when there is one. */
  rememberedParallel: (modelId: string) => number | undefined;
  /** The app's loader: estimator's settings, refusing with its numbers what does not fit. */
  load: (input: { modelId: string; parallel: number }) => Promise<unknown>;
  /** A fixed number of slots for every model (hearth serve --parallel), over the default. */
  parallel?: number;
}

/** Loads a model for API clients: the loader's settings, with parallel slots for concurrent requests. */
export function apiModelLoader(deps: ApiLoaderDeps): (modelId: string) => Promise<void> {
  return async (modelId) => {
    const parallel =
      deps.rememberedParallel(modelId) ??
      deps.parallel ??
      defaultParallel(await deps.fit(await deps.modelPath(modelId)));
    await deps.load({ modelId, parallel });
  };
}
