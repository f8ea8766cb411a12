import type { ChatResult, LoadResult } from '../../../engine-process/protocol';
import type { EngineObserver, LoadInput } from '../../engine/engine-pool';
import type { HardwareService } from '../../hardware/hardware-service';
import type { EstimatorService } from '../estimator-service';
import { speedKey } from './learned-speeds';
import { measuredClasses, type MemoryRun } from './learned-memory';
import type { MeasuredRun, MeasurementStore } from './measurement-store';

/** Replies shorter than this say more about start-up than about speed. */
const minGenerated = 16;
/** Prompt speed from a few tokens is mostly overhead; a real prompt batch says what the GPU does. */
const minPrompt = 128;

interface Loaded {
  input: LoadInput;
  result: LoadResult;
  /** The prediction for exactly this placement, without corrections. */
  base: Omit<
    MeasuredRun,
    'kind' | 'measuredGenerationTps' | 'measuredPromptTps' | 'promptTokens' | 'generatedTokens'
  >;
  /** Memory per buffer class on the side this load is keyed by, when llama.cpp reported it. */
  memory: MemoryRun | null;
}

/**
 * Memory the engine reported allocating: host buffers (CPU, CPU_Mapped, CPU_REPACK, pinned
 * *_Host ones) count as RAM, every other (CUDA0, Vulkan0, Metal…) as GPU memory. Null when the
 * engine reported nothing (an older engine, or a log line that never came).
 */
export function measuredMemory(result: Pick<LoadResult, 'buffers'>): {
  measuredVramBytes: number | null;
  measuredRamBytes: number | null;
} {
  const buffers = result.buffers ?? [];
  if (buffers.length === 0) return { measuredVramBytes: null, measuredRamBytes: null };
  const host = (name: string): boolean => /^CPU|_Host$/i.test(name);
  const sum = (pick: (name: string) => boolean): number =>
    buffers.filter((b) => pick(b.name)).reduce((total, b) => total + b.bytes, 0);
  return { measuredVramBytes: sum((n) => !host(n)), measuredRamBytes: sum(host) };
}

/**
 * Writes a record after every load and every reply: what the estimator predicted for that
 * placement (the model's own prediction, never the corrected one, so corrections do not feed on
 * themselves) beside what the engine reported. Recording never fails a load or a reply.
 */
export class MeasurementRecorder implements EngineObserver {
  private readonly placements = new Map<string, Promise<Loaded | null>>();

  constructor(
    private readonly deps: {
      store: MeasurementStore;
      estimator: Pick<EstimatorService, 'fit'>;
      hardware: Pick<HardwareService, 'get'>;
      log: (message: string) => void;
    },
  ) {}

  loaded(input: LoadInput, result: LoadResult): void {
    const pending = this.predict(input, result);
    this.placements.set(result.modelPath, pending);
    void pending.then((l) => {
      if (!l) return;
      this.write({
        ...l.base,
        kind: 'load',
        measuredGenerationTps: null,
        measuredPromptTps: null,
        promptTokens: null,
        generatedTokens: null,
      });
      if (l.memory) this.writeMemory(l.memory);
    });
  }

  replied(modelPath: string | null, reply: ChatResult): void {
    const pending = modelPath ? this.placements.get(modelPath) : undefined;
    const { stats } = reply;
    if (!pending || reply.stopReason === 'abort' || stats.generatedTokens < minGenerated) return;
    void pending.then((l) => {
      if (!l) return;
      const prompt = stats.promptTokens >= minPrompt ? stats.promptTokensPerSecond : null;
      this.write({
        ...l.base,
        kind: 'reply',
        measuredGenerationTps: stats.generationTokensPerSecond,
        measuredPromptTps: prompt,
        predictedPromptTps: prompt === null ? null : l.base.predictedPromptTps,
        promptTokens: stats.promptTokens,
        generatedTokens: stats.generatedTokens,
        contextSize: l.result.contextSize,
      });
    });
  }

  /** Waits for the records in flight (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.placements.values()]);
    await new Promise((resolve) => setImmediate(resolve));
  }

  private async predict(input: LoadInput, result: LoadResult): Promise<Loaded | null> {
    try {
      const [fit, profile] = await Promise.all([
        this.deps.estimator.fit({
          modelPath: result.modelPath,
          contextSize: result.contextSize,
          gpuLayers: result.gpuLayers,
          kvCacheType: input.kvCacheType,
          batchSize: input.batchSize,
          parallel: input.parallel,
          flashAttention:
            input.flashAttention === undefined ? undefined : input.flashAttention ? 'on' : 'off',
          learned: false,
          // The engine loads the model alone: a projector beside it is not in its buffers.
          projector: false,
        }),
        this.deps.hardware.get(),
      ]);
      const key = speedKey(profile, fit.model.architecture, result.gpuLayers);
      // GPU memory for a load keyed by its GPU, RAM for a CPU-only one: what that key can learn.
      const side = key.backend === 'cpu' ? 'ram' : 'gpu';
      const predicted = side === 'gpu' ? fit.gpu : fit.ram;
      const measured = measuredClasses(result.buffers ?? [], side);
      return {
        input,
        result,
        memory: measured && {
          ...key,
          modelPath: result.modelPath,
          side,
          predicted: {
            weights: predicted.weightsBytes,
            kv: predicted.kvCacheBytes,
            compute: predicted.computeBytes,
          },
          measured,
        },
        base: {
          ...key,
          modelPath: result.modelPath,
          contextSize: result.contextSize,
          gpuLayers: result.gpuLayers,
          settings: {
            kvCacheType: input.kvCacheType ?? 'f16',
            flashAttention: input.flashAttention ?? null,
            batchSize: input.batchSize ?? null,
            parallel: input.parallel ?? 1,
            threads: input.threads ?? null,
            totalLayers: result.totalLayers ?? null,
            // llama.cpp's own report, per buffer: which device holds what.
            buffers: result.buffers ?? null,
          },
          predictedGenerationTps: fit.speed.generationTps,
          predictedPromptTps: fit.speed.promptTps,
          predictedVramBytes: fit.gpu.totalBytes,
          predictedRamBytes: fit.ram.totalBytes,
          ...measuredMemory(result),
          loadMs: result.loadMs,
        },
      };
    } catch (error) {
      this.deps.log(
        `measurements: no prediction for ${result.modelPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }

  private writeMemory(run: MemoryRun): void {
    try {
      this.deps.store.recordMemory(run);
    } catch (error) {
      this.deps.log(
        `measurements: memory not recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private write(run: MeasuredRun): void {
    try {
      this.deps.store.record(run);
    } catch (error) {
      this.deps.log(`measurements: not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
