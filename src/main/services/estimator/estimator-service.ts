import { basename, dirname, join } from 'node:path';
import { AppError, type FitEstimate, type KvCacheType } from '../../../shared/contract';
import { safeText } from '../../../shared/domain/safe-text';
import { listDir, statRegularFile } from '../fs/safe-fs';
import { fileByteSource } from '../gguf/byte-source';
import { readGgufHeader } from '../gguf/gguf-reader';
import type { HardwareService } from '../hardware/hardware-service';
import { namedProfile } from '../hardware/named-profile';
import { estimateFit } from './fit';
import { withGpuFreeMemory } from './gpu-override';
import { projectorComputeBytes, projectorFacts, type ProjectorFacts } from './projector';
import { budgetFromProfile } from './machine-budget';
import { modelFacts, type ModelFacts } from './model-facts';
import { memoryScaleOf, type LearnedSpeeds } from './measurements/learned-speeds';

/** The settings an answer depends on, whatever the model is (a file here, a Hub quant's header). */
export interface FitSettings {
  contextSize?: number;
  kvCacheType?: KvCacheType;
  gpuName?: string;
  vramBytes?: number;
  /** 'auto' (the default) plans with flash attention on, as llama.cpp picks it where supported. */
  flashAttention?: 'on' | 'off' | 'auto';
  batchSize?: number;
  parallel?: number;
  /** Layers to offload (blocks + output); the most that fit when absent. */
  gpuLayers?: number;
  /** Free memory per GPU in bytes, replacing the GPUs seen or named. */
  gpus?: number[];
  /** A named CPU and its memory ("Ryzen 9 7950X, DDR5-6000 2ch"); alone, a CPU-only machine. */
  cpuName?: string;
  /** false: the model's own prediction, without this machine's measured corrections. */
  learned?: boolean;
}

export interface FitRequest extends FitSettings {
  modelPath: string;
  /** Count a vision projector next to the model (the default). */
  projector?: boolean;
}

/** Reads a model's header (cached by path, size and mtime) and answers "will it fit" for a machine. */
export class EstimatorService {
  private readonly facts = new Map<string, { key: string; facts: ModelFacts }>();

  constructor(
    private readonly hardware: HardwareService,
    /** This machine's measured runs, which correct predictions for it (not for a named machine). */
    private readonly learned?: LearnedSpeeds,
  ) {}

  async modelFacts(path: string): Promise<ModelFacts> {
    const info = await statRegularFile(path).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND')
        throw new AppError('NOT_FOUND', `No model file at ${safeText(path, 300)}`);
      throw error;
    });
    const key = `${info.size}:${info.mtimeMs}`;
    const cached = this.facts.get(path);
    if (cached?.key === key) return cached.facts;
    const source = await fileByteSource(path);
    try {
      const facts = modelFacts(await readGgufHeader(source));
      this.facts.set(path, { key, facts });
      return facts;
    } finally {
      await source.close();
    }
  }

  /**
   * A vision projector (mmproj-*.gguf) next to the model, as LM Studio and llama.cpp keep them: the
   * largest one, read from its header (its tensors and its vision tower's shape).
   */
  async projectorFor(path: string): Promise<ProjectorFacts | undefined> {
    const found = await this.projectorFile(path);
    if (!found) return undefined;
    // Not a readable GGUF (or gone meanwhile): count its size, as the file would be loaded whole.
    const bySize: ProjectorFacts = { name: found.name, weightsBytes: found.bytes, vision: null };
    const source = await fileByteSource(found.path).catch(() => undefined);
    if (!source) return bySize;
    try {
      return projectorFacts(found.name, await readGgufHeader(source));
    } catch {
      return bySize;
    } finally {
      await source.close();
    }
  }

  private async projectorFile(
    path: string,
  ): Promise<{ name: string; path: string; bytes: number } | undefined> {
    const dir = dirname(path);
    const names = (await listDir(dir))
      .map((e) => e.name)
      .filter((n) => /^mmproj.*\.gguf$/i.test(n) && n !== basename(path));
    // Only regular files count: a FIFO or a symlink loop named mmproj-*.gguf is no projector.
    const sized = await Promise.all(
      names.map(async (name) => {
        const bytes = await statRegularFile(join(dir, name)).then(
          (s) => s.size,
          () => undefined,
        );
        return bytes === undefined ? [] : [{ name: safeText(name), path: join(dir, name), bytes }];
      }),
    );
    return sized.flat().sort((a, b) => b.bytes - a.bytes)[0];
  }

  async fit(request: FitRequest): Promise<FitEstimate> {
    // The model first: a missing file is told as such, not as a folder that cannot be listed.
    const facts = await this.modelFacts(request.modelPath);
    const projector = request.projector === false ? undefined : await this.projectorFor(request.modelPath);
    return this.fitFacts(facts, request, request.modelPath, projector);
  }

  /**
   * The same answer for a model whose header was read elsewhere (a Hub quant, read remotely):
   * `modelKey` names it among this machine's measurements (its file path once installed).
   */
  async fitFacts(
    facts: ModelFacts,
    settings: FitSettings,
    modelKey: string,
    projector?: ProjectorFacts,
  ): Promise<FitEstimate> {
    const detected = await this.hardware.get();
    const named = namedProfile(detected, settings.gpuName, settings.vramBytes, settings.cpuName);
    const profile = settings.gpus ? withGpuFreeMemory(named, settings.gpus) : named;
    const flashAttention =
      settings.flashAttention === undefined ? undefined : settings.flashAttention !== 'off';
    const thisMachine =
      !settings.gpuName && settings.vramBytes === undefined && !settings.cpuName && !settings.gpus;
    // This machine's loads correct its memory plan; never a named machine's, never when asked not to.
    const learned = this.learned && thisMachine && settings.learned !== false ? this.learned : undefined;
    const memory = learned?.memory(profile, facts.architecture);
    const estimate = estimateFit(facts, budgetFromProfile(profile), {
      memoryScale: memory && memoryScaleOf(memory),
      contextSize: settings.contextSize,
      kvCacheType: settings.kvCacheType,
      flashAttention,
      ubatch: settings.batchSize,
      parallel: settings.parallel,
      gpuLayers: settings.gpuLayers,
      projector: projector && {
        name: projector.name,
        bytes: projector.weightsBytes,
        computeBytes: projectorComputeBytes(projector, flashAttention ?? true),
      },
    });
    return learned ? learned.apply(estimate, profile, modelKey, memory) : estimate;
  }
}
