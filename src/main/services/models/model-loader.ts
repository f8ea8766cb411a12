import { AppError, type RouteOutput, type RouteParsedInput } from '../../../shared/contract';
import type { Engine } from '../engine/engine-pool';
import type { EstimatorService } from '../estimator/estimator-service';
import type { LibraryService } from '../library/library-service';
import type { ModelSettingsStore } from './model-settings-store';

const GB = 1e9;

/**
 * Loads a library model into the engine with the estimator's GPU layers and context unless the
 * user overrides them, and refuses up front, with the numbers, what would not fit.
 */
export class ModelLoader {
  constructor(
    private readonly library: LibraryService,
    private readonly estimator: EstimatorService,
    private readonly engine: Engine,
    /** Threads default to the physical cores: hyper-threads only slow llama.cpp's matrix work. */
    private readonly physicalCores: () => Promise<number>,
    private readonly remembered?: ModelSettingsStore,
  ) {}

  /**
   * Physical cores, except for tiny models: llama.cpp starts its threads for every token, and
   * below ~200M parameters that start-up costs more than the extra cores give back.
   */
  private async defaultThreads(parameters: number | null): Promise<number> {
    return parameters !== null && parameters < 200e6 ? 1 : this.physicalCores();
  }

  async load(request: RouteParsedInput<'engine.load'>): Promise<RouteOutput<'engine.load'>> {
    const model = await this.library.get(request.modelId);
    if (model.error) throw new AppError('INVALID_MODEL', `${model.name} cannot be loaded: ${model.error}`);
    // What the user set for this model before, unless this load says otherwise.
    const input = {
      ...this.remembered?.get(model.id),
      ...Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)),
    } as typeof request;
    const gpuLayers = input.gpuLayers ?? 'auto';
    // Every setting the memory depends on: the API's parallel slots each hold a full context.
    const fit = await this.estimator.fit({
      modelPath: model.path,
      contextSize: input.contextSize,
      kvCacheType: input.kvCacheType,
      parallel: input.parallel,
      batchSize: input.batchSize,
      gpuLayers: gpuLayers === 'auto' ? undefined : gpuLayers,
      flashAttention: input.flashAttention === undefined ? undefined : input.flashAttention ? 'on' : 'off',
    });
    if (gpuLayers === 'auto' && fit.verdict === 'does-not-fit' && !input.force) {
      throw new AppError(
        'CONFLICT',
        `${model.name} does not fit (load it anyway to try): it needs ${(fit.ram.totalBytes / GB).toFixed(1)} GB of RAM beside the GPU's share, and ${((fit.ram.availableBytes - fit.ram.headroomBytes) / GB).toFixed(1)} GB is free`,
      );
    }
    // Beside other loaded models (when the setting allows several), only within what is free.
    const footprint = { ramBytes: fit.ram.totalBytes, vramBytes: fit.gpu.totalBytes };
    const budget = {
      ramBytes: Math.max(0, fit.ram.availableBytes - fit.ram.headroomBytes),
      vramBytes: Math.max(0, fit.gpu.availableBytes - fit.gpu.headroomBytes),
    };
    return this.engine.load(
      {
        modelPath: model.path,
        contextSize: input.contextSize ?? fit.contextSize,
        gpuLayers: gpuLayers === 'auto' ? fit.gpuLayers : gpuLayers,
        threads: input.threads ?? (await this.defaultThreads(model.parameters)),
        parallel: input.parallel,
        // Quantized KV caches need flash attention in llama.cpp.
        flashAttention: input.kvCacheType && input.kvCacheType !== 'f16' ? true : input.flashAttention,
        batchSize: input.batchSize,
        kvCacheType: input.kvCacheType,
        useMmap: input.useMmap,
      },
      footprint,
      budget,
    );
  }
}
