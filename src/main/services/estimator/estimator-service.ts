import { basename, dirname, join } from 'node:path';
import { AppError, type FitEstimate, type KvCacheType } from '../../../shared/contract';
import { safeText } from '../../../shared/domain/safe-text';
import { listDir, statRegularFile } from '../fs/safe-fs';
import { fileByteSource } from '../gguf/byte-source';
import { readGgufHeader } from '../gguf/gguf-reader';
import type { HardwareService } from '../hardware/hardware-service';
import { namedProfile } from '../hardware/named-profile';
import { estimateFit } from './fit';
import { budgetFromProfile } from './machine-budget';
import { modelFacts, type ModelFacts } from './model-facts';

export interface FitRequest {
  modelPath: string;
  contextSize?: number;
  kvCacheType?: KvCacheType;
  gpuName?: string;
  vramBytes?: number;
  /** 'auto' (the default) plans with flash attention on, as llama.cpp picks it where supported. */
  flashAttention?: 'on' | 'off' | 'auto';
  batchSize?: number;
  parallel?: number;
}

/** Reads a model's header (cached by path, size and mtime) and answers "will it fit" for a machine. */
export class EstimatorService {
  private readonly facts = new Map<string, { key: string; facts: ModelFacts }>();

  constructor(private readonly hardware: HardwareService) {}

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

  /** A vision projector (mmproj-*.gguf) next to the model, as LM Studio and llama.cpp keep them. */
  async projectorFor(path: string): Promise<{ name: string; bytes: number } | undefined> {
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
        return bytes === undefined ? [] : [{ name: safeText(name), bytes }];
      }),
    );
    return sized.flat().sort((a, b) => b.bytes - a.bytes)[0];
  }

  async fit(request: FitRequest): Promise<FitEstimate> {
    const [facts, detected] = await Promise.all([this.modelFacts(request.modelPath), this.hardware.get()]);
    const profile = namedProfile(detected, request.gpuName, request.vramBytes);
    return estimateFit(facts, budgetFromProfile(profile), {
      contextSize: request.contextSize,
      kvCacheType: request.kvCacheType,
      flashAttention: request.flashAttention === undefined ? undefined : request.flashAttention !== 'off',
      ubatch: request.batchSize,
      parallel: request.parallel,
      projector: await this.projectorFor(request.modelPath),
    });
  }
}
