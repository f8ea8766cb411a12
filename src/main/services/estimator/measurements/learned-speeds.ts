import type { FitEstimate, HardwareProfile } from '../../../../shared/contract';
import type { MemoryScale } from '../memory-scale';
import { memoryNote, scaledTotal, type MemoryCorrection } from './learned-memory';
import type { MeasurementStore, SpeedCorrection, SpeedKey } from './measurement-store';

/**
 * What a run is measured and corrected under: the GPU backend node-llama-cpp uses here and the
 * first GPU when layers are offloaded, the CPU otherwise, and the model's architecture.
 */
export function speedKey(profile: HardwareProfile, architecture: string, gpuLayers: number): SpeedKey {
  const gpu = profile.gpus[0];
  const backend = profile.backends.find((b) => b !== 'cpu');
  if (gpuLayers > 0 && gpu && backend) return { backend, device: gpu.model, family: architecture };
  return { backend: 'cpu', device: profile.cpu.brand, family: architecture };
}

const two = (x: number): string => x.toFixed(2);

/** The sentence the fit answer shows beside its speeds. */
export function correctionNote(c: SpeedCorrection, key: SpeedKey): string {
  const where = key.backend === 'cpu' ? 'this CPU' : 'this GPU';
  const runs = Math.max(c.generation.runs, c.prompt.runs);
  if (runs === 0) return `Nothing measured yet for ${key.family} models on ${where}.`;
  const g = c.generation.factor;
  const p = c.prompt.factor;
  if (c.generation.runs < 3)
    return `${runs} measured run${runs === 1 ? '' : 's'} on ${where}: predictions are corrected from 3.`;
  if (Math.abs(g - 1) < 0.02 && Math.abs(p - 1) < 0.02)
    return `Predictions for ${where} match ${runs} measured runs.`;
  const prompt = c.prompt.runs >= 3 && Math.abs(p - g) >= 0.02 ? ` (prompt speed by ${two(p)})` : '';
  return `Predictions for ${where} are scaled by ${two(g)}${prompt} from ${runs} measured runs.`;
}

/** Applies this machine's measured corrections to a fit for this machine (never to a named one). */
export class LearnedSpeeds {
  constructor(private readonly store: Pick<MeasurementStore, 'correction' | 'memoryCorrection'>) {}

  /**
   * This machine's memory corrections, to plan with: GPU memory from loads keyed by its first GPU,
   * RAM from CPU-only loads. Both come from the same model family on this machine.
   */
  memory(profile: HardwareProfile, architecture: string): { gpu?: MemoryCorrection; cpu: MemoryCorrection } {
    const gpuKey = speedKey(profile, architecture, 1);
    return {
      ...(gpuKey.backend !== 'cpu' && { gpu: this.store.memoryCorrection(gpuKey, 'gpu') }),
      cpu: this.store.memoryCorrection(speedKey(profile, architecture, 0), 'ram'),
    };
  }

  apply(
    estimate: FitEstimate,
    profile: HardwareProfile,
    modelPath: string,
    memory?: ReturnType<LearnedSpeeds['memory']>,
  ): FitEstimate {
    const key = speedKey(profile, estimate.model.architecture, estimate.gpuLayers);
    const learnedMemory = memorySummary(estimate, memory);
    if (estimate.verdict === 'does-not-fit')
      return learnedMemory ? withMemory(estimate, learnedMemory) : estimate;
    const c = this.store.correction(key, modelPath);
    if (c.generation.runs === 0 && c.prompt.runs === 0 && c.measuredRuns === 0 && c.measuredRamBytes === null)
      return learnedMemory ? withMemory(estimate, learnedMemory) : estimate;
    const scale = (tps: number | null, factor: number): number | null => (tps === null ? null : tps * factor);
    return {
      ...estimate,
      speed: {
        generationTps: scale(estimate.speed.generationTps, c.generation.factor),
        promptTps: scale(estimate.speed.promptTps, c.prompt.factor),
      },
      measured: {
        generationFactor: c.generation.factor,
        promptFactor: c.prompt.factor,
        runs: Math.max(c.generation.runs, c.prompt.runs),
        generationTps: c.measuredGenerationTps,
        promptTps: c.measuredPromptTps,
        modelRuns: c.measuredRuns,
        gpuBytes: c.measuredVramBytes,
        ramBytes: c.measuredRamBytes,
        note: correctionNote(c, key),
        ...(learnedMemory && { memory: learnedMemory }),
      },
    };
  }
}

type MemorySummary = NonNullable<NonNullable<FitEstimate['measured']>['memory']>;

/** The factors a plan used, as the scale the estimator takes. */
export function memoryScaleOf(memory: ReturnType<LearnedSpeeds['memory']>): MemoryScale {
  return {
    ...(memory.gpu && memory.gpu.loads > 0 && { gpu: memory.gpu.factors }),
    ...(memory.cpu.loads > 0 && { cpu: memory.cpu.factors }),
  };
}

/** The memory correction behind this plan's side (GPU memory when it offloads, else RAM). */
function memorySummary(
  estimate: FitEstimate,
  memory: ReturnType<LearnedSpeeds['memory']> | undefined,
): MemorySummary | null {
  const side = estimate.gpuLayers > 0 && memory?.gpu ? 'gpu' : 'ram';
  const c = side === 'gpu' ? memory?.gpu : memory?.cpu;
  if (!c || c.loads === 0) return null;
  const bytes = side === 'gpu' ? estimate.gpu : estimate.ram;
  const f = c.factors;
  // The estimate holds the scaled bytes: the side's factor is scaled over unscaled.
  const unscaled = {
    weights: bytes.weightsBytes / f.weights,
    kv: bytes.kvCacheBytes / f.kv,
    compute: bytes.computeBytes / f.compute,
  };
  const { factor } = scaledTotal(unscaled, f);
  return {
    side,
    factor,
    weightsFactor: f.weights,
    kvFactor: f.kv,
    computeFactor: f.compute,
    loads: c.loads,
    note: memoryNote(side, factor, c.loads, f),
  };
}

/** An estimate with nothing measured for its speeds, but a memory correction to show. */
function withMemory(estimate: FitEstimate, memory: MemorySummary): FitEstimate {
  return {
    ...estimate,
    measured: {
      generationFactor: 1,
      promptFactor: 1,
      runs: 0,
      generationTps: null,
      promptTps: null,
      modelRuns: 0,
      gpuBytes: null,
      ramBytes: null,
      note: memory.note,
      memory,
    },
  };
}
